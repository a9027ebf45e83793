package multimodal.gateway.grpc;

import static multimodal.gateway.rest.TestKeys.asDefault;
import static multimodal.gateway.rest.TestKeys.asOther;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.rest.TestKeys;
import multimodal.v1.AskPart;
import multimodal.v1.AskRequest;
import multimodal.v1.AskResponse;
import multimodal.v1.GeneratorServiceGrpc;
import multimodal.v1.ImageSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Questions over several images (AskRequest.parts) through both front doors, against the fake
 * generator that describes the parts it was given in order: REST {@code /v1/ask} with {@code parts}
 * (SSE) and the public gRPC Ask (stream); media ids resolved to the stored bytes of the caller's
 * tenant only; bad parts refused before anything is forwarded, with the same words.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class InterleavedAskTest {
  private static final Path HORSE = Path.of("../testdata/images/horse.png");
  private static final Path COFFEE = Path.of("../testdata/images/coffee.png");
  private static final String QUESTION = "which image is brown, the first or the second?";

  @FakeBackendsTestResource.InjectFake FakeGeneratorService generator;

  private static long horseBytes;
  private static long coffeeBytes;
  private ManagedChannel channel;

  @BeforeAll
  static void sizes() throws IOException {
    horseBytes = Files.size(HORSE);
    coffeeBytes = Files.size(COFFEE);
  }

  @BeforeEach
  void connectAndStore() {
    channel = PublicGrpc.open();
    store("ask-horse", HORSE);
    store("ask-coffee", COFFEE);
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    PublicGrpc.close(channel);
  }

  private static void store(String mediaId, Path file) {
    asDefault()
        .multiPart("file", file.toFile(), "image/png")
        .multiPart("mediaId", mediaId)
        .post("/v1/media")
        .then()
        .statusCode(org.hamcrest.Matchers.anyOf(equalTo(202), equalTo(409)));
  }

  private static Map<String, Object> body(Object... parts) {
    return Map.of("parts", List.of(parts));
  }

  private static String restAsk(Map<String, Object> body) {
    return asDefault()
        .contentType(ContentType.JSON)
        .accept("text/event-stream")
        .body(body)
        .post("/v1/ask")
        .then()
        .statusCode(200)
        .contentType(containsString("text/event-stream"))
        .extract()
        .asString();
  }

  @Test
  void restStreamsTheAnswerToATwoImageQuestionWithEachItemInItsPlace() {
    String stream =
        restAsk(
            body(
                Map.of("mediaId", "ask-horse"),
                Map.of("mediaId", "ask-coffee"),
                Map.of("text", "  " + QUESTION + " ")));
    assertThat(stream)
        .containsSubsequence(
            "event:token",
            "event:final",
            "\"text\":\"[" + horseBytes + " bytes] [" + coffeeBytes + " bytes] " + QUESTION + "\"");
    assertThat(generator.lastTenant()).isEqualTo("default");
    AskRequest sent = generator.lastAsk();
    assertThat(sent.getPartsCount()).isEqualTo(3);
    assertThat(sent.getParts(0).getImage().getClientId()).isEqualTo("ask-horse");
    assertThat(sent.getParts(2).getText()).isEqualTo(QUESTION); // stripped

    String swapped =
        restAsk(
            body(
                Map.of("mediaId", "ask-coffee"),
                Map.of("text", "then"),
                Map.of("mediaId", "ask-horse"),
                Map.of("text", QUESTION)));
    assertThat(swapped)
        .contains(
            "\"text\":\"[" + coffeeBytes + " bytes] then [" + horseBytes + " bytes] " + QUESTION);
  }

  @Test
  void grpcStreamsTheAnswerWithItemsAndBytesInterleaved() throws IOException {
    List<AskResponse> events = new ArrayList<>();
    PublicGrpc.as(GeneratorServiceGrpc.newBlockingStub(channel), TestKeys.DEFAULT)
        .ask(
            AskRequest.newBuilder()
                .addParts(AskPart.newBuilder().setMediaId("ask-horse"))
                .addParts(
                    AskPart.newBuilder()
                        .setImage(
                            ImageSource.newBuilder()
                                .setData(ByteString.copyFrom(Files.readAllBytes(COFFEE)))))
                .addParts(AskPart.newBuilder().setText(QUESTION))
                .build())
        .forEachRemaining(events::add);
    assertThat(events).hasSize(2);
    assertThat(events.get(0).getToken()).startsWith("[" + horseBytes + " bytes]");
    assertThat(events.get(1).getFinal().getText())
        .isEqualTo("[" + horseBytes + " bytes] [" + coffeeBytes + " bytes] " + QUESTION);
    assertThat(generator.lastTenant()).isEqualTo("default");
    assertThat(generator.lastAsk().getParts(0).hasMediaId()).isFalse(); // resolved to the item
  }

  @Test
  void mediaIdsResolveOnlyWithinTheCallersTenant() {
    asOther()
        .contentType(ContentType.JSON)
        .body(body(Map.of("mediaId", "ask-horse"), Map.of("text", QUESTION)))
        .post("/v1/ask")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("detail", containsString("no media 'ask-horse' in tenant 'other'"));

    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                PublicGrpc.as(GeneratorServiceGrpc.newBlockingStub(channel), TestKeys.OTHER)
                    .ask(
                        AskRequest.newBuilder()
                            .addParts(AskPart.newBuilder().setMediaId("ask-horse"))
                            .addParts(AskPart.newBuilder().setText(QUESTION))
                            .build())
                    .hasNext());
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void badPartsAre400ProblemsAndInvalidArgumentWithTheSameWords() {
    generator.forgetCalls();
    Object image = Map.of("mediaId", "ask-horse");
    Object text = Map.of("text", QUESTION);
    List<Object> fiveImages = new ArrayList<>(Collections.nCopies(5, image));
    fiveImages.add(text);
    refused(Map.of("parts", fiveImages), "at most 4 images in one question, got 5");
    refused(Map.of("parts", List.of()), "at least one image part");
    refused(body(image, Map.of("text", "   ")), "a text part that is not blank");
    refused(body(Map.of("text", "a", "mediaId", "ask-horse"), text), "exactly one of");
    refused(body(Map.of("mediaId", "../etc"), text), "mediaId must match");
    refused(Map.of("mediaId", "ask-horse", "parts", List.of(image, text)), "or 'parts', not both");
    List<Object> manyParts = new ArrayList<>(Collections.nCopies(16, text));
    manyParts.add(image);
    refused(Map.of("parts", manyParts), "at most 16 parts");
    assertThat(generator.lastAsk()).as("nothing was forwarded").isNull();

    assertGrpcRefused(
        AskRequest.newBuilder()
            .addParts(
                AskPart.newBuilder()
                    .setImage(ImageSource.newBuilder().setData(ByteString.copyFromUtf8("no png"))))
            .addParts(AskPart.newBuilder().setText(QUESTION))
            .build(),
        "not a JPEG, PNG");
    AskRequest.Builder five = AskRequest.newBuilder();
    for (int i = 0; i < 5; i++) {
      five.addParts(AskPart.newBuilder().setMediaId("ask-horse"));
    }
    assertGrpcRefused(
        five.addParts(AskPart.newBuilder().setText(QUESTION)).build(),
        "at most 4 images in one question, got 5");
    assertGrpcRefused(
        AskRequest.newBuilder()
            .addParts(AskPart.getDefaultInstance())
            .addParts(AskPart.newBuilder().setText(QUESTION))
            .build(),
        "a part needs 'text', 'image' or 'mediaId'");
    assertThat(generator.lastAsk()).as("nothing was forwarded").isNull();
  }

  private static void refused(Map<String, Object> body, String detail) {
    asDefault()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/ask")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString(detail));
  }

  private void assertGrpcRefused(AskRequest request, String description) {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                PublicGrpc.as(GeneratorServiceGrpc.newBlockingStub(channel), TestKeys.DEFAULT)
                    .ask(request)
                    .hasNext());
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(error.getStatus().getDescription()).contains(description);
  }
}
