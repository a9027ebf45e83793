package multimodal.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.rest.IngestTopicReader;
import multimodal.gateway.rest.TestKeys;
import multimodal.v1.AnalyzeRequest;
import multimodal.v1.AnalyzeResponse;
import multimodal.v1.AskRequest;
import multimodal.v1.AskResponse;
import multimodal.v1.DeleteMediaRequest;
import multimodal.v1.GeneratorServiceGrpc;
import multimodal.v1.ImageSource;
import multimodal.v1.IngestMediaRequest;
import multimodal.v1.IngestMediaResponse;
import multimodal.v1.MediaServiceGrpc;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.SearchFilter;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The public gRPC API on the gateway's port: API key in metadata, tenant forced, safe search by
 * default (x-safe-search), Analyze forwarded, health and reflection open.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class PublicGrpcApiTest {
  private static final Path HORSE = Path.of("../testdata/images/horse.png");

  @FakeBackendsTestResource.InjectFake FakeRetrievalService retrieval;
  @FakeBackendsTestResource.InjectFake FakeGeneratorService generator;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  private ManagedChannel channel;

  @BeforeEach
  void connect() {
    channel = PublicGrpc.open();
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    PublicGrpc.close(channel);
  }

  private static Metadata key(String key) {
    return PublicGrpc.key(key);
  }

  @Test
  void ingestMediaStoresTheImageAndPublishesAClaimCheckEventForTheKeysTenant() throws IOException {
    byte[] bytes = Files.readAllBytes(HORSE);
    IngestMediaResponse response =
        MediaServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key(TestKeys.OTHER)))
            .ingestMedia(
                IngestMediaRequest.newBuilder()
                    .setImage(ImageSource.newBuilder().setData(ByteString.copyFrom(bytes)))
                    .setMediaId("grpc-horse")
                    .addTags("grpc")
                    .build());

    assertThat(response.getMediaId()).isEqualTo("grpc-horse");
    var record = IngestTopicReader.awaitEvent(bootstrapServers, response.getEventId());
    IngestEvent event = new IngestEventCodec().decode(record.key(), record.value(), Map.of());
    assertThat(event.tenant()).isEqualTo("other");
    assertThat(event.uri())
        .contains(
            "/internal/blobs/"
                + multimodal.gateway.MediaIds.sha256(bytes)
                + "?tenant=other&expires=");
    assertThat(event.tags()).containsExactly("grpc");
  }

  @Test
  void ingestMediaTakesImagesAboveGrpcsDefaultFourMegabytes() {
    byte[] big = new byte[12 * 1024 * 1024];
    System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, big, 0, 8);
    System.arraycopy(
        new byte[] {'I', 'E', 'N', 'D'}, 0, big, big.length - 8, 4); // complete: not truncated
    IngestMediaResponse response =
        MediaServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key(TestKeys.DEFAULT)))
            .ingestMedia(
                IngestMediaRequest.newBuilder()
                    .setImage(ImageSource.newBuilder().setData(ByteString.copyFrom(big)))
                    .build());
    assertThat(response.getMediaId()).hasSize(64);
  }

  @Test
  void callsWithoutAValidKeyAreUnauthenticated() {
    var stub = MediaServiceGrpc.newBlockingStub(channel);
    assertThatThrownBy(
            () -> stub.deleteMedia(DeleteMediaRequest.newBuilder().setMediaId("x").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    var search =
        RetrievalServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key("wrong")));
    assertThatThrownBy(() -> search.search(SearchRequest.newBuilder().setText("x").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
  }

  @Test
  void deletingAnotherTenantsMediaIsNotFound() {
    var stub =
        MediaServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key(TestKeys.OTHER)));
    assertThatThrownBy(
            () ->
                stub.deleteMedia(
                    DeleteMediaRequest.newBuilder()
                        .setMediaId(FakeRetrievalService.KNOWN_MEDIA)
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void retrievalProxyForcesTheCallersTenant() {
    SearchResponse response =
        RetrievalServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key(TestKeys.OTHER)))
            .search(
                SearchRequest.newBuilder().setTenant("default").setText("horse").setK(3).build());

    assertThat(retrieval.lastSearch().getTenant()).isEqualTo("other");
    assertThat(retrieval.lastSearch().getK()).isEqualTo(3);
    assertThat(response.getHitsList())
        .noneMatch(hit -> hit.getMediaId().equals(FakeRetrievalService.KNOWN_MEDIA));
  }

  private RetrievalServiceGrpc.RetrievalServiceBlockingStub retrievalAs(
      String apiKey, String safeSearchHeader) {
    Metadata headers = key(apiKey);
    if (safeSearchHeader != null) {
      headers.put(SafeSearchHeader.KEY, safeSearchHeader);
    }
    return RetrievalServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  @Test
  void publicSearchIsASafeSearchUnlessTheCallerOptsOut() {
    SearchRequest plain =
        SearchRequest.newBuilder()
            .setText("horse")
            .setFilter(SearchFilter.newBuilder().addObjects("horse"))
            .build();
    SearchResponse response = retrievalAs(TestKeys.DEFAULT, null).search(plain);
    assertThat(retrieval.lastSearch().getFilter().getSafe()).isTrue();
    assertThat(retrieval.lastSearch().getFilter().getUnsafeThreshold()).isEqualTo(0.5f);
    assertThat(retrieval.lastSearch().getFilter().getObjectsList()).containsExactly("horse");
    assertThat(response.getHits(0).getObjects(0).getLabel()).isEqualTo("horse");
    assertThat(response.getHits(0).getSafetyCount()).isEqualTo(5);
    assertThat(response.getModelFixture()).isTrue();

    retrievalAs(TestKeys.DEFAULT, "off").search(plain);
    assertThat(retrieval.lastSearch().getFilter().getSafe()).isFalse();
    assertThat(retrieval.lastSearch().getFilter().getObjectsList()).containsExactly("horse");

    // The caller's own threshold is kept.
    SearchRequest strict =
        plain.toBuilder().setFilter(plain.getFilter().toBuilder().setUnsafeThreshold(0.2f)).build();
    retrievalAs(TestKeys.DEFAULT, null).search(strict);
    assertThat(retrieval.lastSearch().getFilter().getSafe()).isTrue();
    assertThat(retrieval.lastSearch().getFilter().getUnsafeThreshold()).isEqualTo(0.2f);
  }

  @Test
  void aTenantWithSafeSearchOffOptsInWithTheFilterOrTheHeader() {
    SearchRequest plain = SearchRequest.newBuilder().setText("horse").build();
    retrievalAs(TestKeys.OTHER, null).search(plain); // gateway.safe-search.tenants.other=false
    assertThat(retrieval.lastSearch().getFilter().getSafe()).isFalse();

    retrievalAs(TestKeys.OTHER, null)
        .search(plain.toBuilder().setFilter(SearchFilter.newBuilder().setSafe(true)).build());
    assertThat(retrieval.lastSearch().getFilter().getSafe()).isTrue();
    assertThat(retrieval.lastSearch().getFilter().getUnsafeThreshold()).isEqualTo(0.5f);

    retrievalAs(TestKeys.OTHER, "on").search(plain);
    assertThat(retrieval.lastSearch().getFilter().getSafe()).isTrue();
  }

  @Test
  void aBadSafeSearchHeaderIsInvalidArgument() {
    assertThatThrownBy(
            () ->
                retrievalAs(TestKeys.DEFAULT, "sometimes")
                    .search(SearchRequest.newBuilder().setText("x").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("x-safe-search");
            });
  }

  @Test
  void generatorProxyForwardsAnalyze() throws IOException {
    byte[] bytes = Files.readAllBytes(HORSE);
    var generatorStub =
        GeneratorServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key(TestKeys.OTHER)));
    AnalyzeResponse response =
        generatorStub.analyze(
            AnalyzeRequest.newBuilder()
                .addImages(ImageSource.newBuilder().setData(ByteString.copyFrom(bytes)))
                .setMinScore(0.4f)
                .build());
    assertThat(response.getResults(0).getObjects(0).getLabel()).isEqualTo("bytes-" + bytes.length);
    assertThat(response.getResults(0).getImageWidth())
        .isEqualTo(ImageIO.read(HORSE.toFile()).getWidth());
    assertThat(generator.lastAnalyze().getMinScore()).isEqualTo(0.4f);
    assertThat(generator.lastTenant()).isEqualTo("other");

    byte[] broken = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3};
    assertThatThrownBy(
            () ->
                generatorStub.analyze(
                    AnalyzeRequest.newBuilder()
                        .addImages(ImageSource.newBuilder().setData(ByteString.copyFrom(broken)))
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void generatorProxyStreamsTheAnswerWithTheCallersTenant() {
    Iterator<AskResponse> answer =
        GeneratorServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key(TestKeys.DEFAULT)))
            .ask(
                AskRequest.newBuilder()
                    .setImage(ImageSource.newBuilder().setUri("https://example.com/x.png"))
                    .setQuestion("colour?")
                    .build());
    List<AskResponse> events = new ArrayList<>();
    answer.forEachRemaining(events::add);

    assertThat(events).hasSize(4);
    assertThat(events.get(0).getToken()).isEqualTo("it");
    assertThat(events.get(3).getFinal().getText()).isEqualTo("it is brown");
    assertThat(generator.lastTenant()).isEqualTo("default");
  }

  @Test
  void healthAndReflectionNeedNoKey() throws Exception {
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().build());
    assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

    CompletableFuture<ServerReflectionResponse> listed = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse value) {
                    listed.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    listed.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    List<String> services =
        listed.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
            .map(s -> s.getName())
            .toList();
    requests.onCompleted();

    assertThat(services)
        .contains(
            "multimodal.v1.MediaService",
            "multimodal.v1.RetrievalService",
            "multimodal.v1.GeneratorService",
            "grpc.health.v1.Health");
  }
}
