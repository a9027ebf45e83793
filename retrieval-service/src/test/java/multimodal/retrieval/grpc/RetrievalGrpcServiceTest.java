package multimodal.retrieval.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import multimodal.retrieval.InMemoryChannelsResource;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.TempIndexDirResource;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.v1.EmbeddedBy;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.ImageSource;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.SearchHit;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TempIndexDirResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = InMemoryChannelsResource.class, restrictToAnnotatedClass = true)
class RetrievalGrpcServiceTest {
  static final ModelVersion FAKE = new ModelVersion(FakeEncoderService.MODEL, FakeEncoderService.VERSION);
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Inject LuceneMediaIndex index;

  @GrpcClient("retrieval")
  RetrievalServiceGrpc.RetrievalServiceBlockingStub client;

  @BeforeEach
  void seed() {
    index.upsert(media("red-img", "default", 1, 0, 0, 0), null);
    index.upsert(media("yellow-img", "default", 1, 1, 0, 0), null);
    index.upsert(media("blue-img", "default", 0, 0, 1, 0), null);
    index.upsert(media("acme-red", "acme", 1, 0, 0, 0), null);
  }

  @Test
  void searchesByTextThroughTheEncoderRankedByCosine() {
    SearchResponse response = client.search(SearchRequest.newBuilder().setText("red").setK(3).build());

    assertThat(response.getHitsList()).extracting(SearchHit::getMediaId).containsExactly("red-img", "yellow-img", "blue-img");
    assertThat(response.getHits(0).getScore()).isCloseTo(1f, within(1e-5f));
    assertThat(response.getHits(1).getScore()).isCloseTo((float) Math.sqrt(0.5), within(1e-5f));
    assertThat(response.getHits(0).getMetadataMap()).containsEntry("title", "red-img");
    assertThat(response.getHits(0).getContentType()).isEqualTo("image/jpeg");
    assertThat(response.getModelName()).isEqualTo("clip");
    assertThat(response.getModelVersion()).isEqualTo("fake-1");
  }

  @Test
  void searchesOnlyTheRequestedTenantAndDropsHitsBelowMinScore() {
    SearchResponse acme = client.search(SearchRequest.newBuilder().setTenant("acme").setText("red").build());
    SearchResponse strict = client.search(SearchRequest.newBuilder().setText("red").setMinScore(0.9f).build());

    assertThat(acme.getHitsList()).extracting(SearchHit::getMediaId).containsExactly("acme-red");
    assertThat(strict.getHitsList()).extracting(SearchHit::getMediaId).containsExactly("red-img");
  }

  @Test
  void searchesByMediaIdEmbeddingAndImage() {
    SearchResponse byMedia = client.search(SearchRequest.newBuilder().setMediaId("blue-img").setK(1).build());
    SearchResponse byEmbedding =
        client.search(SearchRequest.newBuilder().setEmbedding(FakeEncoderService.embedding("yellow")).setK(1).build());
    SearchResponse byImage =
        client.search(
            SearchRequest.newBuilder()
                .setImage(ImageSource.newBuilder().setData(ByteString.copyFrom("red", StandardCharsets.UTF_8)))
                .setK(1)
                .build());

    assertThat(byMedia.getHitsList()).extracting(SearchHit::getMediaId).containsExactly("blue-img");
    assertThat(byEmbedding.getHitsList()).extracting(SearchHit::getMediaId).containsExactly("yellow-img");
    assertThat(byImage.getHitsList()).extracting(SearchHit::getMediaId).containsExactly("red-img");
  }

  @Test
  void rejectsKOutOfRangeWithBadRequest() {
    for (int k : new int[] {-1, 1001}) {
      StatusRuntimeException error = fail(SearchRequest.newBuilder().setText("red").setK(k).build());

      assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(detail(error, BadRequest.class).getFieldViolations(0).getField()).isEqualTo("k");
    }
  }

  @Test
  void rejectsEmptyTextWithInvalidArgument() {
    StatusRuntimeException error = fail(SearchRequest.newBuilder().setText(" ").build());

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(detail(error, BadRequest.class).getFieldViolations(0).getField()).isEqualTo("text");
  }

  @Test
  void reportsEncoderOutageAsUnavailableWithRetryInfo() {
    StatusRuntimeException error = fail(SearchRequest.newBuilder().setText("unavailable").build());

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(detail(error, RetryInfo.class).getRetryDelay().getSeconds()).isPositive();
  }

  @Test
  void reportsUnknownMediaAsNotFound() {
    StatusRuntimeException search = fail(SearchRequest.newBuilder().setMediaId("nope").build());
    StatusRuntimeException get =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> client.getMedia(GetMediaRequest.newBuilder().setMediaId("nope").build()));

    assertThat(search.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(get.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(detail(get, ResourceInfo.class).getResourceName()).isEqualTo("nope");
  }

  @Test
  void getMediaSaysWhichModelsEmbeddedIt() {
    GetMediaResponse media = client.getMedia(GetMediaRequest.newBuilder().setMediaId("red-img").build());

    assertThat(media.getTenant()).isEqualTo("default");
    assertThat(media.getContentType()).isEqualTo("image/jpeg");
    assertThat(media.getMetadataMap()).containsEntry("title", "red-img");
    assertThat(media.getIngestedAt().getSeconds()).isEqualTo(T0.getEpochSecond() - 5);
    assertThat(media.getEmbeddedByList())
        .extracting(EmbeddedBy::getModelName, EmbeddedBy::getModelVersion, EmbeddedBy::getDimension)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("clip", "fake-1", 4));
  }

  @Test
  void exposesReadinessAndSearchMetrics() {
    client.search(SearchRequest.newBuilder().setText("green").build());

    given().get("/q/health/ready").then().statusCode(200).body(containsString("lucene-index"));
    given().get("/q/metrics").then().statusCode(200).body(containsString("retrieval_search_seconds_count"));
  }

  private StatusRuntimeException fail(SearchRequest request) {
    StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class, () -> client.search(request));
    assertThat(error).as("expected a gRPC error").isNotNull();
    return error;
  }

  private static <T extends com.google.protobuf.Message> T detail(StatusRuntimeException error, Class<T> type) {
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    assertThat(status).isNotNull();
    for (Any any : status.getDetailsList()) {
      if (any.is(type)) {
        try {
          return any.unpack(type);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + status.getDetailsList());
  }

  private static MediaEmbedding media(String id, String tenant, float... vector) {
    return new MediaEmbedding(
        id, tenant, "image/jpeg", Map.of("title", id), List.of(), T0.minusSeconds(5), T0, FAKE, vector);
  }
}
