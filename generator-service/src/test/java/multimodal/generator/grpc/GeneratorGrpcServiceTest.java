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
import java.awt.Color;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import multimodal.generator.BlobServerResource;
import multimodal.generator.CaptionFixtureResource;
import multimodal.generator.InMemoryChannelsResource;
import multimodal.generator.TestImages;
import multimodal.v1.AnalyzeRequest;
import multimodal.v1.AskPart;
import multimodal.v1.AskRequest;
import multimodal.v1.AskResponse;
import multimodal.v1.CaptionRequest;
import multimodal.v1.CaptionResponse;
import multimodal.v1.CaptionTask;
import multimodal.v1.GenerateRequest;
import multimodal.v1.GeneratedText;
import multimodal.v1.GenerationOptions;
import multimodal.v1.GeneratorServiceGrpc;
import multimodal.v1.ImageSource;
import multimodal.v1.LengthPreset;
import multimodal.v1.OcrRequest;
import multimodal.v1.OcrResponse;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = CaptionFixtureResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = InMemoryChannelsResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = BlobServerResource.class, restrictToAnnotatedClass = true)
class GeneratorGrpcServiceTest {
  private static ManagedChannel channel;
  private static GeneratorServiceGrpc.GeneratorServiceBlockingStub generator;

  @BeforeAll
  static void connect() {
    int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port)
            .usePlaintext()
            .maxInboundMessageSize(64 << 20)
            .intercept(new GatewayCallTokens())
            .build();
    generator = GeneratorServiceGrpc.newBlockingStub(channel);
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () -> given().port(managementPort()).get("/q/health/ready").then().statusCode(200));
  }

  @AfterAll
  static void disconnect() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static GeneratorServiceGrpc.GeneratorServiceBlockingStub call() {
    return generator.withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static ImageSource png(java.awt.image.BufferedImage image) {
    return ImageSource.newBuilder().setData(ByteString.copyFrom(TestImages.png(image))).build();
  }

  @Test
  void readinessReportsTheLoadedModelsAndMetricsAreServed() {
    given()
        .port(managementPort())
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"));
    given().port(managementPort()).when().get("/q/health/live").then().statusCode(200);
    given().port(managementPort()).when().get("/q/metrics").then().statusCode(200);
  }

  @Test
  void captionsABatchOfImagesInOrder() {
    CaptionResponse response =
        call()
            .caption(
                CaptionRequest.newBuilder()
                    .addImages(png(TestImages.shape(Color.RED, "square", 224)))
                    .addImages(png(TestImages.shape(Color.BLUE, "circle", 320)))
                    .setTask(CaptionTask.CAPTION_TASK_CAPTION)
                    .build());

    assertThat(response.getCaptionsList())
        .extracting(GeneratedText::getText)
        .containsExactly("a red square", "a blue circle");
    GeneratedText first = response.getCaptions(0);
    assertThat(first.getModelName()).isEqualTo("caption");
    assertThat(first.getModelVersion()).isEqualTo("fixture-caption-1");
    assertThat(first.getGeneratedTokens()).isEqualTo(3);
    assertThat(first.getTimings().getTotalMicros()).isPositive();
    assertThat(first.getFixture()).as("the demo fixture says so").isTrue();
  }

  @Test
  void generateWithoutADiffusionModelIsAFailedPreconditionThatSaysHowToTurnItOn() {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                GeneratorServiceGrpc.newBlockingStub(channel)
                    .generate(GenerateRequest.newBuilder().setPrompt("a red square").build())
                    .forEachRemaining(event -> {}));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(error.getStatus().getDescription()).contains("generator.diffusion.dir");
  }

  @Test
  void analyzeWithVisionOffIsAFailedPreconditionThatSaysHowToTurnItOn() {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                call()
                    .analyze(
                        AnalyzeRequest.newBuilder()
                            .addImages(png(TestImages.shape(Color.RED, "square", 224)))
                            .build()));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(error.getStatus().getDescription())
        .contains("vision is off")
        .contains("generator.vision.detector.dir");
    given()
        .port(managementPort())
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'vision' }.data.state", equalTo("off"));
  }

  @Test
  void beamSearchAndOptionsGoThroughTheSameModel() {
    CaptionResponse response =
        call()
            .caption(
                CaptionRequest.newBuilder()
                    .addImages(png(TestImages.shape(Color.GREEN, "square", 224)))
                    .setLength(LengthPreset.LENGTH_PRESET_LONG)
                    .setOptions(
                        GenerationOptions.newBuilder()
                            .setNumBeams(3)
                            .setRepetitionPenalty(1.2f)
                            .setNoRepeatNgramSize(2))
                    .build());
    assertThat(response.getCaptions(0).getText()).isEqualTo("a green square");

    CaptionResponse cut =
        call()
            .caption(
                CaptionRequest.newBuilder()
                    .addImages(png(TestImages.shape(Color.GREEN, "square", 224)))
                    .setOptions(GenerationOptions.newBuilder().setMaxNewTokens(2))
                    .build());
    assertThat(cut.getCaptions(0).getText()).isEqualTo("a green");
  }

  @Test
  void rejectsATaskTheModelCannotDoWithInvalidArgument() {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                call()
                    .caption(
                        CaptionRequest.newBuilder()
                            .addImages(png(TestImages.shape(Color.RED, "square", 224)))
                            .setTask(CaptionTask.CAPTION_TASK_DETAILED_CAPTION)
                            .build()));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(error.getStatus().getDescription()).contains("DETAILED_CAPTION");
  }

  @Test
  void rejectsABrokenImageWithBadRequestNamingTheItem() throws Exception {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                call()
                    .caption(
                        CaptionRequest.newBuilder()
                            .addImages(
                                ImageSource.newBuilder()
                                    .setData(ByteString.copyFromUtf8("not an image")))
                            .build()));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    BadRequest detail = badRequest(error);
    assertThat(detail.getFieldViolations(0).getField()).isEqualTo("images[0].data");
  }

  @Test
  void captionsAndAnswersAboutImagesFetchedFromTheClaimCheckUri() {
    String uri =
        BlobServerResource.put(
            "grpc-yellow-circle", TestImages.png(TestImages.shape(Color.YELLOW, "circle", 224)));

    CaptionResponse caption =
        call()
            .caption(
                CaptionRequest.newBuilder()
                    .addImages(ImageSource.newBuilder().setUri(uri))
                    .addImages(png(TestImages.shape(Color.BLUE, "square", 224)))
                    .build());
    assertThat(caption.getCaptionsList())
        .extracting(GeneratedText::getText)
        .containsExactly("a yellow circle", "a blue square");

    List<AskResponse> answer = new ArrayList<>();
    call()
        .ask(
            AskRequest.newBuilder()
                .setImage(ImageSource.newBuilder().setUri(uri))
                .setQuestion("what shape is this?")
                .build())
        .forEachRemaining(answer::add);
    assertThat(answer.get(answer.size() - 1).getFinal().getText()).isEqualTo("circle");
  }

  @Test
  void refusesAUriOnAPrivateAddressOutsideTheInternalPrefix() throws Exception {
    BlobServerResource.put(
        "grpc-private", TestImages.png(TestImages.shape(Color.RED, "square", 64)));

    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                call()
                    .caption(
                        CaptionRequest.newBuilder()
                            .addImages(
                                ImageSource.newBuilder()
                                    .setUri(BlobServerResource.publicUri("grpc-private")))
                            .build()));

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(error.getStatus().getDescription()).contains("non-public address");
    BadRequest detail = badRequest(error);
    assertThat(detail.getFieldViolations(0).getField()).isEqualTo("images[0].uri");
  }

  @Test
  void unknownModelIsNotFound() {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                call()
                    .caption(
                        CaptionRequest.newBuilder()
                            .setModel("nope")
                            .addImages(png(TestImages.shape(Color.RED, "square", 224)))
                            .build()));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void emptyRequestAndBadOptionsAreInvalidArgument() {
    StatusRuntimeException empty =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> call().caption(CaptionRequest.getDefaultInstance()));
    assertThat(empty.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    StatusRuntimeException beams =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                call()
                    .caption(
                        CaptionRequest.newBuilder()
                            .addImages(png(TestImages.shape(Color.RED, "square", 224)))
                            .setOptions(GenerationOptions.newBuilder().setNumBeams(99))
                            .build()));
    assertThat(beams.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void ocrReadsRenderedTextWithTesseract() {
    OcrResponse response =
        call()
            .ocr(
                OcrRequest.newBuilder()
                    .addImages(png(TestImages.text("OPEN 24 HOURS", 900, 150)))
                    .addImages(png(TestImages.text("Platform 9", 700, 150)))
                    .build());
    assertThat(response.getTextsList())
        .extracting(GeneratedText::getText)
        .containsExactly("OPEN 24 HOURS", "Platform 9");
    assertThat(response.getTexts(0).getModelName()).isEqualTo("tesseract");
  }

  @Test
  void ocrRejectsAnUnknownLanguage() {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                call()
                    .ocr(
                        OcrRequest.newBuilder()
                            .addLanguages("xx")
                            .addImages(png(TestImages.text("A", 100, 60)))
                            .build()));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void askStreamsTheAnswerThenAFinalMessage() {
    List<AskResponse> stream = new ArrayList<>();
    call()
        .ask(
            AskRequest.newBuilder()
                .setImage(png(TestImages.shape(Color.RED, "circle", 400)))
                .setQuestion("What colour is it?")
                .build())
        .forEachRemaining(stream::add);

    assertThat(stream).hasSize(2);
    assertThat(stream.get(0).getToken()).isEqualTo("red");
    GeneratedText last = stream.get(1).getFinal();
    assertThat(last.getText()).isEqualTo("red");
    assertThat(last.getModelName()).isEqualTo("vqa");
    assertThat(last.getModelVersion()).isEqualTo("fixture-vqa-2");
    assertThat(last.getGeneratedTokens()).isEqualTo(1);
    assertThat(last.getTimings().getInferenceMicros()).isPositive();

    List<AskResponse> shape = new ArrayList<>();
    call()
        .ask(
            AskRequest.newBuilder()
                .setImage(png(TestImages.shape(Color.BLUE, "square", 300)))
                .setQuestion("what shape is this?")
                .build())
        .forEachRemaining(shape::add);
    assertThat(shape.get(shape.size() - 1).getFinal().getText()).isEqualTo("square");
  }

  @Test
  void askRejectsAnEmptyQuestionAndAMissingImage() {
    StatusRuntimeException empty =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                call()
                    .ask(
                        AskRequest.newBuilder()
                            .setImage(png(TestImages.shape(Color.RED, "square", 64)))
                            .setQuestion(" ")
                            .build())
                    .hasNext());
    assertThat(empty.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    StatusRuntimeException noImage =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                call().ask(AskRequest.newBuilder().setQuestion("what colour?").build()).hasNext());
    assertThat(noImage.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  private static AskPart image(Color colour, String shape) {
    return AskPart.newBuilder().setImage(png(TestImages.shape(colour, shape, 256))).build();
  }

  private static AskPart text(String text) {
    return AskPart.newBuilder().setText(text).build();
  }

  private static List<AskResponse> ask(AskPart... parts) {
    List<AskResponse> stream = new ArrayList<>();
    call()
        .ask(AskRequest.newBuilder().addAllParts(List.of(parts)).build())
        .forEachRemaining(stream::add);
    return stream;
  }

  @Test
  void askStreamsTheAnswerToAnInterleavedTwoImageQuestionInBothOrders() {
    AskPart question = text("Which image is red, the first or the second?");
    List<AskResponse> redFirst =
        ask(image(Color.RED, "circle"), image(Color.BLUE, "square"), question);
    assertThat(redFirst).hasSize(2);
    assertThat(redFirst.get(0).getToken()).isEqualTo("first");
    assertThat(redFirst.get(1).getFinal().getText()).isEqualTo("first");
    assertThat(redFirst.get(1).getFinal().getFixture()).isTrue();

    List<AskResponse> redSecond =
        ask(image(Color.BLUE, "square"), image(Color.RED, "circle"), question);
    assertThat(redSecond.get(redSecond.size() - 1).getFinal().getText()).isEqualTo("second");
  }

  @Test
  void askAnswersAFewShotPromptAboutItsQueryImage() {
    List<AskResponse> stream =
        ask(
            image(Color.RED, "square"),
            text("The colour is red."),
            image(Color.BLUE, "circle"),
            text("The colour is blue."),
            image(Color.YELLOW, "circle"),
            text("What colour is this?"));
    assertThat(stream.get(stream.size() - 1).getFinal().getText()).isEqualTo("yellow");
  }

  @Test
  void askRefusesBadPartsNamingThem() throws Exception {
    AskPart question = text("which is red, the first or the second?");
    AskPart red = image(Color.RED, "square");
    assertRefused(
        AskRequest.newBuilder()
            .addParts(red)
            .addParts(red)
            .addParts(red)
            .addParts(red)
            .addParts(red)
            .addParts(question)
            .build(),
        "parts",
        "5 images, more than the limit of 4");
    assertRefused(
        AskRequest.newBuilder().addParts(question).build(), "parts", "at least one image");
    assertRefused(
        AskRequest.newBuilder().addParts(red).addParts(text("  ")).build(), "parts", "non-blank");
    assertRefused(
        AskRequest.newBuilder().addParts(red).addParts(AskPart.getDefaultInstance()).build(),
        "parts[1]",
        "set text, image or media_id");
    assertRefused(
        AskRequest.newBuilder()
            .addParts(AskPart.newBuilder().setMediaId("item-1"))
            .addParts(question)
            .build(),
        "parts[0].media_id",
        "resolved by the gateway");
    assertRefused(
        AskRequest.newBuilder()
            .addParts(red)
            .addParts(
                AskPart.newBuilder()
                    .setImage(
                        ImageSource.newBuilder().setData(ByteString.copyFromUtf8("not an image"))))
            .addParts(question)
            .build(),
        "parts[1].data",
        "");
    assertRefused(
        AskRequest.newBuilder()
            .setQuestion("what colour?")
            .addParts(red)
            .addParts(question)
            .build(),
        "parts",
        "not both");
  }

  private static void assertRefused(AskRequest request, String field, String description)
      throws Exception {
    StatusRuntimeException error =
        catchThrowableOfType(StatusRuntimeException.class, () -> call().ask(request).hasNext());
    assertThat(error).as("refusal of %s", field).isNotNull();
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    BadRequest detail = badRequest(error);
    assertThat(detail.getFieldViolations(0).getField()).isEqualTo(field);
    assertThat(detail.getFieldViolations(0).getDescription()).contains(description);
  }

  private static BadRequest badRequest(StatusRuntimeException error) throws Exception {
    return StatusProto.fromThrowable(error).getDetailsList().stream()
        .filter(any -> any.is(BadRequest.class))
        .findFirst()
        .orElseThrow()
        .unpack(BadRequest.class);
  }

  /** Health and metrics answer on the management interface's port, not on the service port. */
  private static int managementPort() {
    return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
  }
}
