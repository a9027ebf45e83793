package multimodal.gateway.grpc;

import static multimodal.gateway.rest.TestKeys.asDefault;
import static multimodal.gateway.rest.TestKeys.asOther;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.MediaIds;
import multimodal.gateway.rest.TestKeys;
import multimodal.v1.AnalyzeRequest;
import multimodal.v1.AskPart;
import multimodal.v1.AskRequest;
import multimodal.v1.CaptionRequest;
import multimodal.v1.ClassifyRequest;
import multimodal.v1.GeneratorServiceGrpc;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.ImageSource;
import multimodal.v1.ImageTarget;
import multimodal.v1.RankTextsRequest;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.SearchRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two front doors, REST and the public gRPC proxies, apply the same input rules to what a
 * caller supplies: the same bad input gets the same refusal (problem+json on REST, INVALID_ARGUMENT
 * with a BadRequest on gRPC), and nothing reaches a backend. Above all, no caller can make a worker
 * read the gateway's internal blob route.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class FrontDoorParityTest {
  private static final Path HORSE = Path.of("../testdata/images/horse.png");
  private static final String BLOB_ROUTE = "http://127.0.0.1:18080/internal/blobs/";

  @FakeBackendsTestResource.InjectFake FakeGeneratorService generator;
  @FakeBackendsTestResource.InjectFake FakeRetrievalService retrieval;

  /** One per test: JUnit makes a new instance for each. */
  private final ManagedChannel channel = PublicGrpc.open();

  @AfterEach
  void disconnect() throws InterruptedException {
    PublicGrpc.close(channel);
  }

  private GeneratorServiceGrpc.GeneratorServiceBlockingStub generatorAs(String key) {
    return PublicGrpc.as(GeneratorServiceGrpc.newBlockingStub(channel), key);
  }

  private RetrievalServiceGrpc.RetrievalServiceBlockingStub retrievalAs(String key) {
    return PublicGrpc.as(RetrievalServiceGrpc.newBlockingStub(channel), key);
  }

  /**
   * The same refusal on both doors: REST's problem (status, detail) and gRPC's INVALID_ARGUMENT
   * whose description is the same detail and whose BadRequest names the field.
   */
  private static void sameRefusal(
      ValidatableResponse rest, int httpStatus, Runnable grpcCall, String field, String words) {
    String detail =
        rest.statusCode(httpStatus)
            .contentType("application/problem+json")
            .extract()
            .path("detail");
    assertThat(detail).contains(words);
    StatusRuntimeException grpc = refusal(grpcCall);
    assertThat(grpc.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(grpc.getStatus().getDescription()).isEqualTo(detail);
    com.google.rpc.Status details = StatusProto.fromThrowable(grpc);
    assertThat(details).isNotNull();
    assertThat(details.getDetailsList())
        .anySatisfy(
            any -> {
              assertThat(any.is(BadRequest.class)).isTrue();
              try {
                assertThat(any.unpack(BadRequest.class).getFieldViolations(0).getField())
                    .isEqualTo(field);
              } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
              }
            });
  }

  private static StatusRuntimeException refusal(Runnable call) {
    StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(error).as("the call is refused").isNotNull();
    return error;
  }

  /**
   * The confirmed hole: with tenant "other"'s key, GeneratorService/Caption on the gateway's gRPC
   * port with the internal blob URL of tenant "default"'s upload captioned default's private image,
   * and a wrong hash answered differently, so a hash's existence leaked as well.
   */
  @Test
  void anotherTenantsBlobCannotBeCaptionedThroughTheGrpcProxyAndItsExistenceDoesNotLeak()
      throws IOException {
    byte[] bytes = Files.readAllBytes(HORSE);
    asDefault()
        .multiPart("file", HORSE.toFile(), "image/png")
        .post("/v1/media")
        .then()
        .statusCode(202);
    String existing = BLOB_ROUTE + MediaIds.sha256(bytes);
    String missing = BLOB_ROUTE + "0".repeat(64);
    CaptionRequest.Builder request = CaptionRequest.newBuilder();
    generator.forgetCalls();

    StatusRuntimeException forExisting =
        refusal(
            () ->
                generatorAs(TestKeys.OTHER)
                    .caption(
                        request
                            .clone()
                            .addImages(ImageSource.newBuilder().setUri(existing))
                            .build()));
    StatusRuntimeException forMissing =
        refusal(
            () ->
                generatorAs(TestKeys.OTHER)
                    .caption(
                        request
                            .clone()
                            .addImages(ImageSource.newBuilder().setUri(missing))
                            .build()));

    assertThat(forExisting.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(forExisting.getStatus().getDescription()).contains("internal blob route");
    assertThat(forMissing.getStatus().getCode()).isEqualTo(forExisting.getStatus().getCode());
    assertThat(forMissing.getStatus().getDescription())
        .isEqualTo(forExisting.getStatus().getDescription());
    assertThat(generator.lastCaption()).as("nothing reached the generator").isNull();
  }

  @Test
  void restRefusesTheSameInternalBlobUrlWithTheSameWords() throws IOException {
    String uri = BLOB_ROUTE + MediaIds.sha256(Files.readAllBytes(HORSE));
    StatusRuntimeException grpc =
        refusal(
            () ->
                generatorAs(TestKeys.OTHER)
                    .caption(
                        CaptionRequest.newBuilder()
                            .addImages(ImageSource.newBuilder().setUri(uri))
                            .build()));

    asOther()
        .contentType(ContentType.JSON)
        .body(Map.of("uri", uri))
        .post("/v1/caption")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", org.hamcrest.Matchers.equalTo(grpc.getStatus().getDescription()));
  }

  @Test
  void aUrlThatIsNotHttpGetsTheSameAnswer() {
    String uri = "file:///etc/passwd";
    sameRefusal(
        asOther().contentType(ContentType.JSON).body(Map.of("uri", uri)).post("/v1/caption").then(),
        400,
        () ->
            generatorAs(TestKeys.OTHER)
                .caption(
                    CaptionRequest.newBuilder()
                        .addImages(ImageSource.newBuilder().setUri(uri))
                        .build()),
        "images[0].uri",
        "http or https");
  }

  @Test
  void rankTextsAndSearchRefuseTheInternalBlobRouteToo() {
    String uri = BLOB_ROUTE + "f".repeat(64);
    sameRefusal(
        asOther()
            .contentType(ContentType.JSON)
            .body(Map.of("uri", uri, "texts", List.of("a horse")))
            .post("/v1/rank-texts")
            .then(),
        400,
        () ->
            retrievalAs(TestKeys.OTHER)
                .rankTexts(
                    RankTextsRequest.newBuilder()
                        .setImage(
                            ImageTarget.newBuilder().setImage(ImageSource.newBuilder().setUri(uri)))
                        .addTexts("a horse")
                        .build()),
        "image.uri",
        "internal blob route");
    StatusRuntimeException search =
        refusal(
            () ->
                retrievalAs(TestKeys.OTHER)
                    .search(
                        SearchRequest.newBuilder()
                            .setImage(ImageSource.newBuilder().setUri(uri))
                            .build()));
    assertThat(search.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(search.getStatus().getDescription()).contains("internal blob route");
  }

  @Test
  void bytesThatAreNoImageGetTheSameAnswer(@TempDir Path dir) throws IOException {
    Path text = Files.writeString(dir.resolve("notes.png"), "just some text");
    sameRefusal(
        asOther().multiPart("file", text.toFile(), "image/png").post("/v1/analyze").then(),
        415,
        () ->
            generatorAs(TestKeys.OTHER)
                .analyze(
                    AnalyzeRequest.newBuilder()
                        .addImages(
                            ImageSource.newBuilder()
                                .setData(ByteString.copyFromUtf8("just some text")))
                        .build()),
        "images[0].data",
        "not a JPEG, PNG");
    sameRefusal(
        asOther().multiPart("file", text.toFile(), "image/png").post("/v1/search").then(),
        415,
        () ->
            retrievalAs(TestKeys.OTHER)
                .search(
                    SearchRequest.newBuilder()
                        .setImage(
                            ImageSource.newBuilder()
                                .setData(ByteString.copyFromUtf8("just some text")))
                        .build()),
        "image.data",
        "not a JPEG, PNG");
  }

  @Test
  void anImageOverTheUploadLimitGetsTheSameAnswer(@TempDir Path dir) throws IOException {
    byte[] big = new byte[(int) multimodal.v1.Limits.IMAGE_MAX_BYTES + 1];
    System.arraycopy(Files.readAllBytes(HORSE), 0, big, 0, 8); // a PNG signature
    Path file = Files.write(dir.resolve("big.png"), big);
    sameRefusal(
        asOther().multiPart("file", file.toFile(), "image/png").post("/v1/analyze").then(),
        413,
        () ->
            generatorAs(TestKeys.OTHER)
                .analyze(
                    AnalyzeRequest.newBuilder()
                        .addImages(ImageSource.newBuilder().setData(ByteString.copyFrom(big)))
                        .build()),
        "images[0].data",
        "16777217 bytes");
  }

  @Test
  void listTextAndNumberBoundsGetTheSameAnswer() {
    List<String> labels = Collections.nCopies(257, "a label");
    sameRefusal(
        asOther()
            .contentType(ContentType.JSON)
            .body(Map.of("mediaId", "m-1", "labels", labels))
            .post("/v1/classify")
            .then(),
        400,
        () ->
            retrievalAs(TestKeys.OTHER)
                .classify(
                    ClassifyRequest.newBuilder()
                        .setImage(ImageTarget.newBuilder().setMediaId("m-1"))
                        .addAllLabels(labels)
                        .build()),
        "labels",
        "at most 256 labels");
    String uri = "https://example.com/x.png";
    sameRefusal(
        asOther()
            .contentType(ContentType.JSON)
            .body(Map.of("uri", uri, "question", "  "))
            .post("/v1/ask")
            .then(),
        400,
        () ->
            generatorAs(TestKeys.OTHER)
                .ask(
                    AskRequest.newBuilder()
                        .setImage(ImageSource.newBuilder().setUri(uri))
                        .setQuestion("  ")
                        .build())
                .next(),
        "question",
        "'question' must not be blank");
    List<Map<String, String>> fiveImages = new ArrayList<>();
    AskRequest.Builder fiveImagesGrpc = AskRequest.newBuilder();
    for (int i = 0; i < 5; i++) {
      fiveImages.add(Map.of("uri", uri));
      fiveImagesGrpc.addParts(AskPart.newBuilder().setImage(ImageSource.newBuilder().setUri(uri)));
    }
    fiveImages.add(Map.of("text", "which is red?"));
    sameRefusal(
        asOther()
            .contentType(ContentType.JSON)
            .body(Map.of("parts", fiveImages))
            .post("/v1/ask")
            .then(),
        400,
        () ->
            generatorAs(TestKeys.OTHER)
                .ask(fiveImagesGrpc.addParts(AskPart.newBuilder().setText("which is red?")).build())
                .next(),
        "parts",
        "at most 4 images in one question, got 5");
    sameRefusal(
        asOther()
            .contentType(ContentType.JSON)
            .body(Map.of("uri", uri, "question", "why?", "maxNewTokens", 5000))
            .post("/v1/ask")
            .then(),
        400,
        () ->
            generatorAs(TestKeys.OTHER)
                .ask(
                    AskRequest.newBuilder()
                        .setImage(ImageSource.newBuilder().setUri(uri))
                        .setQuestion("why?")
                        .setMaxNewTokens(5000)
                        .build())
                .next(),
        "maxNewTokens",
        "1..1024");
    sameRefusal(
        asOther().queryParam("q", "horse").queryParam("k", 1001).get("/v1/search").then(),
        400,
        () ->
            retrievalAs(TestKeys.OTHER)
                .search(SearchRequest.newBuilder().setText("horse").setK(1001).build()),
        "k",
        "'k' must be in 1..1000");
    sameRefusal(
        asOther().queryParam("q", "horse").queryParam("dedupe", 2).get("/v1/search").then(),
        400,
        () ->
            retrievalAs(TestKeys.OTHER)
                .search(SearchRequest.newBuilder().setText("horse").setDedupeThreshold(2).build()),
        "dedupe",
        "'dedupe'");
  }

  /**
   * A tenant named in the request or in metadata is never the one used: the API key decides, and a
   * call token the caller sends is not forwarded (the gateway mints its own).
   */
  @Test
  void theCallersOwnTenantIsForcedOnEveryProxiedCall() throws IOException {
    Metadata spoofed = new Metadata();
    spoofed.put(ApiKeyInterceptor.API_KEY, TestKeys.OTHER);
    spoofed.put(Metadata.Key.of("x-tenant", Metadata.ASCII_STRING_MARSHALLER), "default");
    spoofed.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer forged");
    GeneratorServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(spoofed))
        .caption(
            CaptionRequest.newBuilder()
                .addImages(
                    ImageSource.newBuilder()
                        .setData(ByteString.copyFrom(Files.readAllBytes(HORSE))))
                .build());
    assertThat(generator.lastTenant()).isEqualTo("other");

    // The fake index holds KNOWN_MEDIA for tenant "default" only, like the real one.
    GetMediaRequest get =
        GetMediaRequest.newBuilder()
            .setMediaId(FakeRetrievalService.KNOWN_MEDIA)
            .setTenant("default")
            .build();
    StatusRuntimeException notFound = refusal(() -> retrievalAs(TestKeys.OTHER).getMedia(get));
    assertThat(notFound.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            retrievalAs(TestKeys.DEFAULT)
                .getMedia(get.toBuilder().setTenant("other").build())
                .getMediaId())
        .isEqualTo(FakeRetrievalService.KNOWN_MEDIA);

    retrievalAs(TestKeys.OTHER)
        .classify(
            ClassifyRequest.newBuilder()
                .setTenant("default")
                .setImage(ImageTarget.newBuilder().setMediaId("m-1"))
                .addLabels("a horse")
                .build());
    assertThat(retrieval.lastClassify().getTenant()).isEqualTo("other");
  }
}
