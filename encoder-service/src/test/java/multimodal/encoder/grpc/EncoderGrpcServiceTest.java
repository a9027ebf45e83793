package multimodal.encoder.grpc;

import static multimodal.encoder.Vectors.cosine;
import static multimodal.encoder.Vectors.toArray;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.awt.Color;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import multimodal.encoder.ClipFixtureResource;
import multimodal.encoder.InMemoryChannelsResource;
import multimodal.encoder.TestImages;
import multimodal.internalauth.CallTokenClientInterceptor;
import multimodal.internalauth.InternalServices;
import multimodal.v1.EncodeImagesRequest;
import multimodal.v1.EncodeImagesResponse;
import multimodal.v1.EncodeTextsRequest;
import multimodal.v1.EncodeTextsResponse;
import multimodal.v1.EncoderServiceGrpc;
import multimodal.v1.ImageSource;
import multimodal.v1.ListModelsRequest;
import multimodal.v1.ModelInfo;
import multimodal.v1.TokenizeRequest;
import multimodal.v1.TokenizeResponse;
import multimodal.v1.TokenizedText;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ClipFixtureResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = InMemoryChannelsResource.class, restrictToAnnotatedClass = true)
class EncoderGrpcServiceTest {
  private static ManagedChannel channel;
  private static EncoderServiceGrpc.EncoderServiceBlockingStub encoder;

  @BeforeAll
  static void connect() {
    int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    String key = ConfigProvider.getConfig().getValue("multimodal.internal-auth.key", String.class);
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port)
            .usePlaintext()
            .intercept(
                CallTokenClientInterceptor.configured(
                    InternalServices.RETRIEVAL, Optional.of(key), Optional.empty()))
            .build();
    encoder = EncoderServiceGrpc.newBlockingStub(channel);
    // Models load in the background; readiness says when they are in.
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                RestAssured.given()
                    .port(managementPort())
                    .get("/q/health/ready")
                    .then()
                    .statusCode(200));
  }

  @AfterAll
  static void disconnect() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void listsTheFixtureAsTheDefaultModel() {
    ModelInfo model = model("clip");

    assertThat(model.getName()).isEqualTo("clip");
    assertThat(model.getVersion()).isEqualTo("fixture-colour-shape-1");
    assertThat(model.getDimension()).isEqualTo(512);
    assertThat(model.getFixture()).isTrue();
    assertThat(model.getIsDefault()).isTrue();
  }

  @Test
  void ranksTheMatchingColourTextHighestForAnImage() {
    EncodeTextsResponse texts =
        encoder.encodeTexts(
            EncodeTextsRequest.newBuilder().addTexts("a red car").addTexts("a blue car").build());
    EncodeImagesResponse images =
        encoder.encodeImages(
            EncodeImagesRequest.newBuilder()
                .addImages(
                    ImageSource.newBuilder()
                        .setData(ByteString.copyFrom(TestImages.solidPng(320, 240, Color.RED))))
                .build());

    float[] image = toArray(images.getEmbeddings(0).getValuesList());
    float[] red = toArray(texts.getEmbeddings(0).getValuesList());
    float[] blue = toArray(texts.getEmbeddings(1).getValuesList());
    assertThat(cosine(red, image)).isGreaterThan(0.99).isGreaterThan(cosine(blue, image));
    assertThat(images.getEmbeddings(0).getDimension()).isEqualTo(512);
    assertThat(images.getEmbeddings(0).getModelName()).isEqualTo("clip");
    assertThat(texts.getEmbeddings(1).getModelVersion()).isEqualTo("fixture-colour-shape-1");
  }

  @Test
  void rejectsEmptyTextWithInvalidArgumentNamingTheItem() {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                encoder.encodeTexts(
                    EncodeTextsRequest.newBuilder().addTexts("a cat").addTexts("").build()));

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(fieldViolation(error)).isEqualTo("texts[1]");
  }

  @Test
  void rejectsAnUndecodableImageWithInvalidArgument() {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                encoder.encodeImages(
                    EncodeImagesRequest.newBuilder()
                        .addImages(
                            ImageSource.newBuilder()
                                .setData(ByteString.copyFromUtf8("not an image"))
                                .setClientId("upload-7"))
                        .build()));

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(fieldViolation(error)).isEqualTo("images[0] (client id upload-7)");
  }

  @Test
  void rejectsAnUnknownModelWithNotFound() {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                encoder.encodeTexts(
                    EncodeTextsRequest.newBuilder().addTexts("a cat").setModel("siglip").build()));

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void exposesInferenceMetrics() {
    encoder.encodeTexts(EncodeTextsRequest.newBuilder().addTexts("a cat").build());

    String metrics =
        RestAssured.given()
            .port(managementPort())
            .get("/q/metrics")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(metrics).contains("encoder_inference_seconds_count{").contains("modality=\"text\"");
  }

  @Test
  void listsMiniLmAsARealTextOnlyModel() {
    ModelInfo model = model("minilm");

    assertThat(model.getDimension()).isEqualTo(384);
    assertThat(model.getFixture()).isFalse();
    assertThat(model.getIsDefault()).isFalse();
    assertThat(model.getModalitiesList()).containsExactly(multimodal.v1.Modality.MODALITY_TEXT);
  }

  @Test
  void embedsTextsWithMiniLmByName() {
    EncodeTextsResponse response =
        encoder.encodeTexts(
            EncodeTextsRequest.newBuilder()
                .setModel("minilm")
                .addTexts("a dog runs in the park")
                .addTexts("a puppy playing on grass")
                .addTexts("stock market report")
                .build());

    multimodal.v1.Embedding dog = response.getEmbeddings(0);
    assertThat(dog.getModelName()).isEqualTo("minilm");
    assertThat(dog.getModelVersion()).isEqualTo("all-MiniLM-L6-v2");
    assertThat(dog.getDimension()).isEqualTo(384).isEqualTo(dog.getValuesCount());
    float[] a = toArray(dog.getValuesList());
    assertThat(cosine(a, toArray(response.getEmbeddings(1).getValuesList())))
        .isGreaterThan(cosine(a, toArray(response.getEmbeddings(2).getValuesList())));
  }

  @Test
  void refusesImagesForATextOnlyModel() {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                encoder.encodeImages(
                    EncodeImagesRequest.newBuilder()
                        .setModel("minilm")
                        .addImages(
                            ImageSource.newBuilder()
                                .setData(ByteString.copyFrom(TestImages.solidPng(8, 8, Color.RED))))
                        .build()));

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(fieldViolation(error)).isEqualTo("model");
  }

  @Test
  void tokenizesEachTextWithIdsTokensAndTruncation() {
    TokenizeResponse response =
        encoder.tokenize(
            TokenizeRequest.newBuilder()
                .addTexts("a photo of a cat.")
                .addTexts("cat ".repeat(100))
                .build());

    TokenizedText cat = response.getTexts(0);
    assertThat(cat.getIdsList())
        .containsExactly(49406L, 320L, 1125L, 539L, 320L, 2368L, 269L, 49407L);
    assertThat(cat.getTokensList())
        .containsExactly(
            "<|startoftext|>",
            "a</w>",
            "photo</w>",
            "of</w>",
            "a</w>",
            "cat</w>",
            ".</w>",
            "<|endoftext|>");
    assertThat(cat.getTruncated()).isFalse();
    TokenizedText longText = response.getTexts(1);
    assertThat(longText.getIdsCount()).isEqualTo(77);
    assertThat(longText.getIds(76)).isEqualTo(49407L);
    assertThat(longText.getTruncated()).isTrue();
  }

  @Test
  void tokenizesWithTheNamedModelsTokenizer() {
    TokenizeResponse response =
        encoder.tokenize(
            TokenizeRequest.newBuilder().setModel("minilm").addTexts("Hello world").build());

    assertThat(response.getTexts(0).getTokensList())
        .containsExactly("[CLS]", "hello", "world", "[SEP]");
  }

  @Test
  void concurrentRequestsShareBatchesAndReportBatchMetrics() throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      java.util.List<java.util.concurrent.Future<EncodeTextsResponse>> calls =
          new java.util.ArrayList<>();
      for (int i = 0; i < 32; i++) {
        String text = i % 2 == 0 ? "a red thing " + i : "a blue thing " + i;
        calls.add(
            pool.submit(
                () ->
                    encoder
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .encodeTexts(EncodeTextsRequest.newBuilder().addTexts(text).build())));
      }
      for (int i = 0; i < calls.size(); i++) {
        multimodal.v1.Embedding e = calls.get(i).get(30, TimeUnit.SECONDS).getEmbeddings(0);
        assertThat(e.getDimension()).isEqualTo(512);
      }
    } finally {
      pool.shutdownNow();
    }

    String metrics =
        RestAssured.given()
            .port(managementPort())
            .get("/q/metrics")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(metrics)
        .contains("encoder_batch_size_count{")
        .contains("encoder_batch_queue_seconds_count{")
        .contains("encoder_inference_seconds_count{");
  }

  private static ModelInfo model(String name) {
    return encoder.listModels(ListModelsRequest.getDefaultInstance()).getModelsList().stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no model " + name));
  }

  private static String fieldViolation(StatusRuntimeException error) {
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    for (Any detail : status.getDetailsList()) {
      if (detail.is(BadRequest.class)) {
        try {
          return detail.unpack(BadRequest.class).getFieldViolations(0).getField();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no BadRequest detail in " + status);
  }

  /** Health and metrics answer on the management interface's port, not on the service port. */
  private static int managementPort() {
    return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
  }
}
