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
import java.util.concurrent.TimeUnit;
import multimodal.encoder.ClipFixtureResource;
import multimodal.encoder.InMemoryChannelsResource;
import multimodal.encoder.TestImages;
import multimodal.v1.EncodeImagesRequest;
import multimodal.v1.EncodeImagesResponse;
import multimodal.v1.EncodeTextsRequest;
import multimodal.v1.EncodeTextsResponse;
import multimodal.v1.EncoderServiceGrpc;
import multimodal.v1.ImageSource;
import multimodal.v1.ListModelsRequest;
import multimodal.v1.ModelInfo;
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
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    encoder = EncoderServiceGrpc.newBlockingStub(channel);
    // Models load in the background; readiness says when they are in.
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () -> RestAssured.given().port(port).get("/q/health/ready").then().statusCode(200));
  }

  @AfterAll
  static void disconnect() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void listsTheFixtureAsTheDefaultModel() {
    ModelInfo model = encoder.listModels(ListModelsRequest.getDefaultInstance()).getModels(0);

    assertThat(model.getName()).isEqualTo("clip");
    assertThat(model.getVersion()).isEqualTo("fixture-colour-1");
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
    assertThat(texts.getEmbeddings(1).getModelVersion()).isEqualTo("fixture-colour-1");
  }

  @Test
  void rejectsEmptyTextWithInvalidArgumentNamingTheItem() {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> encoder.encodeTexts(EncodeTextsRequest.newBuilder().addTexts("a cat").addTexts("").build()));

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

    String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics).contains("encoder_inference_seconds_count{").contains("modality=\"text\"");
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
}
