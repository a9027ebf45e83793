package multimodal.gateway.rest;

import static multimodal.gateway.rest.TestKeys.asDefault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.awt.Color;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.grpc.FakeBackendsTestResource;
import multimodal.gateway.grpc.FakeGeneratorService;
import multimodal.v1.Limits;
import org.junit.jupiter.api.Test;

/**
 * POST /v1/generate (SSE) and /v1/rerank/images against fakes over real gRPC: the fake generator
 * makes a blue candidate first and a red one second, the fake retrieval scores by colour, so "a red
 * square" must come back with the second candidate ranked first.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class GenerateRestTest {
  @Test
  void streamsProgressThenTheCandidatesReRankedByClip() {
    String stream =
        asDefault()
            .contentType(ContentType.JSON)
            .accept("text/event-stream")
            .body(Map.of("prompt", "a red square", "candidates", 2, "seed", 9))
            .post("/v1/generate")
            .then()
            .statusCode(200)
            .contentType(containsString("text/event-stream"))
            .extract()
            .asString();
    assertThat(stream)
        .containsSubsequence(
            "event:progress",
            "\"step\":1,\"steps\":2,\"candidates\":2",
            "event:progress",
            "\"step\":2",
            "event:result",
            "\"seed\":9",
            "\"rank\":1,\"index\":1,\"seed\":10",
            "\"rank\":2,\"index\":0,\"seed\":9");
    assertThat(stream).contains("\"clipModel\":{\"name\":\"fake-clip\"");
    String red = Base64.getEncoder().encodeToString(FakeGeneratorService.square(Color.RED));
    assertThat(stream.indexOf(red)).isPositive();
  }

  @Test
  void aWithheldCandidateIsListedWithItsReasonAndScoreAndNeverShownOrRanked() {
    String stream = generate("a red square, " + FakeGeneratorService.WITHHOLD_BLUE);
    assertThat(stream)
        .containsSubsequence(
            "event:result",
            "\"candidates\":[{\"rank\":1,\"index\":1,\"seed\":10",
            "\"withheld\":[{\"index\":0,\"seed\":9,\"reason\":\""
                + FakeGeneratorService.WITHHELD_REASON
                + "\",\"unsafeScore\":"
                + FakeGeneratorService.UNSAFE_SCORE
                + "}]");
    assertThat(stream).doesNotContain("\"index\":0,\"seed\":9,\"clipScore\"");
    String blue = Base64.getEncoder().encodeToString(FakeGeneratorService.square(Color.BLUE));
    assertThat(stream).doesNotContain(blue);
  }

  @Test
  void whenEveryCandidateIsWithheldTheResultHasNoneAndListsThemAll() {
    String stream = generate("a red square, " + FakeGeneratorService.WITHHOLD_ALL);
    assertThat(stream)
        .containsSubsequence(
            "event:result",
            "\"candidates\":[]",
            "\"withheld\":[{\"index\":0,\"seed\":9",
            "{\"index\":1,\"seed\":10");
    assertThat(stream).doesNotContain("event:error");
  }

  /**
   * A client that leaves the event stream cancels the generator call behind it, which stops the
   * denoising between steps (generator's GenerationCancellationTest); before CancellableStreams the
   * generator went on to the end for nobody.
   */
  @Test
  void leavingTheEventStreamCancelsTheGeneratorCall() throws Exception {
    int before = FakeGeneratorService.GENERATE_CANCELLATIONS.get();
    String body = "{\"prompt\":\"" + FakeGeneratorService.ENDLESS + "\"}";
    try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
      socket
          .getOutputStream()
          .write(
              ("POST /v1/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
                      + TestKeys.DEFAULT
                      + "\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\n"
                      + "Content-Length: "
                      + body.length()
                      + "\r\n\r\n"
                      + body)
                  .getBytes(StandardCharsets.UTF_8));
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(lines.readLine()).contains("200");
      String line;
      do {
        line = lines.readLine();
      } while (line != null && !line.startsWith("event:progress"));
      assertThat(line).isEqualTo("event:progress");
    } // the client leaves: the connection closes
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> FakeGeneratorService.GENERATE_CANCELLATIONS.get() > before);
  }

  private static String generate(String prompt) {
    return asDefault()
        .contentType(ContentType.JSON)
        .accept("text/event-stream")
        .body(Map.of("prompt", prompt, "candidates", 2, "seed", 9))
        .post("/v1/generate")
        .then()
        .statusCode(200)
        .extract()
        .asString();
  }

  @Test
  void outOfBoundsIsAProblemBeforeTheStreamStarts() {
    asDefault()
        .contentType(ContentType.JSON)
        .accept("text/event-stream")
        .body(Map.of("prompt", "a red square", "candidates", Limits.GENERATE_MAX_CANDIDATES + 1))
        .post("/v1/generate")
        .then()
        .statusCode(400)
        .contentType(containsString("application/problem+json"))
        .body("detail", containsString("candidates"));
    asDefault()
        .contentType(ContentType.JSON)
        .accept("text/event-stream")
        .body(Map.of("prompt", " "))
        .post("/v1/generate")
        .then()
        .statusCode(400);
  }

  @Test
  void aFailureMidwayEndsWithAnErrorEvent() {
    String stream =
        asDefault()
            .contentType(ContentType.JSON)
            .accept("text/event-stream")
            .body(Map.of("prompt", "fail"))
            .post("/v1/generate")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(stream).containsSubsequence("event:progress", "event:error", "\"status\":502");
  }

  @Test
  void theOpenApiDocumentDescribesGenerateAndItsProblems() {
    io.restassured.RestAssured.given()
        .accept("application/json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("paths.'/v1/generate'.post.summary", containsString("CLIP"))
        .body(
            "paths.'/v1/generate'.post.responses.'429'.content.'application/problem+json'",
            org.hamcrest.Matchers.notNullValue())
        .body("paths.'/v1/rerank/images'.post.summary", containsString("CLIP"));
  }

  @Test
  void reranksCallerImagesByClipScore() {
    String blue = Base64.getEncoder().encodeToString(FakeGeneratorService.square(Color.BLUE));
    String red = Base64.getEncoder().encodeToString(FakeGeneratorService.square(Color.RED));
    asDefault()
        .contentType(ContentType.JSON)
        .body(Map.of("text", "something red", "images", List.of(blue, red)))
        .post("/v1/rerank/images")
        .then()
        .statusCode(200)
        .body("images[0].index", equalTo(1))
        .body("images[0].rank", equalTo(1))
        .body("images[1].index", equalTo(0))
        .body("model.name", equalTo("fake-clip"));
  }
}
