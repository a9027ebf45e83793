package multimodal.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.MediaIds;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingest over REST, checked on a real broker: the 202 means the CloudEvent is on media.ingest.v1. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class MediaIngestTest {
  private static final Path HORSE = Path.of("../testdata/images/horse.png");
  private final IngestEventCodec codec = new IngestEventCodec();

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @Test
  void uploadedPngIsPublishedAsStructuredCloudEventKeyedByContentHash() throws IOException {
    byte[] bytes = Files.readAllBytes(HORSE);
    String expectedId = MediaIds.sha256(bytes);

    ExtractableResponse<Response> accepted =
        given()
            .multiPart("file", HORSE.toFile(), "application/octet-stream")
            .multiPart("tags", "animal")
            .multiPart("tags", "farm")
            .multiPart("metadata", "{\"source\":\"contract-test\",\"legs\":4}")
            .when()
            .post("/v1/media")
            .then()
            .statusCode(202)
            .contentType(ContentType.JSON)
            .header("Location", endsWith("/v1/media/" + expectedId))
            .body("mediaId", equalTo(expectedId))
            .body("status", equalTo("accepted"))
            .extract();
    String eventId = accepted.path("eventId");

    ConsumerRecord<String, byte[]> record = IngestTopicReader.awaitEvent(bootstrapServers, eventId);
    assertThat(record.key()).isEqualTo(expectedId);
    assertThat(new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
        .isEqualTo("application/cloudevents+json");
    IngestEvent event = codec.decode(record.key(), record.value(), Map.of());
    assertThat(event.eventId()).isEqualTo(eventId);
    assertThat(event.source()).isEqualTo("/gateway");
    assertThat(event.mediaId()).isEqualTo(expectedId);
    assertThat(event.tenant()).isEqualTo("default");
    assertThat(event.contentType()).isEqualTo("image/png");
    assertThat(event.data()).isEqualTo(bytes);
    assertThat(event.tags()).containsExactly("animal", "farm");
    assertThat(event.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("source", "contract-test", "legs", "4"));
  }

  @Test
  void callerChosenMediaIdBecomesTheKey() {
    String eventId =
        given()
            .multiPart("file", HORSE.toFile(), "image/png")
            .multiPart("mediaId", "horse-from-test")
            .when()
            .post("/v1/media")
            .then()
            .statusCode(202)
            .body("mediaId", equalTo("horse-from-test"))
            .extract()
            .path("eventId");

    assertThat(IngestTopicReader.awaitEvent(bootstrapServers, eventId).key()).isEqualTo("horse-from-test");
  }

  @Test
  void textFileIsRejectedWith415Problem(@TempDir Path dir) throws IOException {
    Path text = Files.writeString(dir.resolve("notes.png"), "this is plain text, whatever the name says");

    given()
        .multiPart("file", text.toFile(), "image/png")
        .when()
        .post("/v1/media")
        .then()
        .statusCode(415)
        .contentType("application/problem+json")
        .body("status", equalTo(415))
        .body("title", equalTo("Unsupported media type"))
        .body("type", equalTo("urn:multimodal:problem:unsupported-media-type"))
        .body("instance", equalTo("/v1/media"))
        .body("detail", containsString("not a JPEG, PNG"));
  }

  @Test
  void imageOverTheLimitIsRejectedWith413Problem(@TempDir Path dir) throws IOException {
    byte[] big = new byte[16 * 1024 * 1024 + 1];
    System.arraycopy(Files.readAllBytes(HORSE), 0, big, 0, 8); // a PNG signature: size, not type, must decide
    Path file = Files.write(dir.resolve("big.png"), big);

    given()
        .multiPart("file", file.toFile(), "image/png")
        .when()
        .post("/v1/media")
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("status", equalTo(413))
        .body("detail", containsString("16777217 bytes"));
  }

  @Test
  void missingFileFieldIsA400Problem() {
    given()
        .multiPart("mediaId", "nothing-attached")
        .when()
        .post("/v1/media")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("'file' is required"));
  }

  @Test
  void metadataThatIsNotAJsonObjectIsA400Problem() {
    given()
        .multiPart("file", HORSE.toFile(), "image/png")
        .multiPart("metadata", "[1,2]")
        .when()
        .post("/v1/media")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", equalTo("metadata must be a JSON object"));
  }

  @Test
  void urlIngestPublishesEventWithUriKeyedByItsHash() {
    String uri = "https://images.example.com/cats/1.jpg";
    String expectedId = MediaIds.sha256(uri);

    String eventId =
        given()
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "uri", uri,
                    "contentType", "image/jpeg",
                    "tags", java.util.List.of("cat"),
                    "metadata", Map.of("album", "pets")))
            .when()
            .post("/v1/media")
            .then()
            .statusCode(202)
            .header("Location", endsWith("/v1/media/" + expectedId))
            .body("mediaId", equalTo(expectedId))
            .extract()
            .path("eventId");

    ConsumerRecord<String, byte[]> record = IngestTopicReader.awaitEvent(bootstrapServers, eventId);
    IngestEvent event = codec.decode(record.key(), record.value(), Map.of());
    assertThat(event.uri()).isEqualTo(uri);
    assertThat(event.data()).isNull();
    assertThat(event.mediaId()).isEqualTo(expectedId);
    assertThat(event.contentType()).isEqualTo("image/jpeg");
    assertThat(event.tags()).containsExactly("cat");
    assertThat(event.metadata()).containsEntry("album", "pets");
  }

  @Test
  void nonHttpUriIsA400Problem() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("uri", "file:///etc/passwd"))
        .when()
        .post("/v1/media")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("status", equalTo(400))
        .body("detail", containsString("http or https"));
  }

  @Test
  void malformedJsonBodyIsA400Problem() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"uri\": ")
        .when()
        .post("/v1/media")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("status", equalTo(400));
  }

  @Test
  void unsupportedRequestTypeIsA415Problem() {
    given()
        .contentType(ContentType.TEXT)
        .body("hello")
        .when()
        .post("/v1/media")
        .then()
        .statusCode(415)
        .contentType("application/problem+json")
        .body("status", equalTo(415));
  }

  @Test
  void bodyDeclaredOverTheHttpLimitGetsA413ProblemBeforeItIsRead() throws IOException {
    // A raw socket: declare a 40 MB body but send none; the answer must come without reading it.
    try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream()
          .write(
              ("POST /v1/media HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                      + "Content-Length: 40000000\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(response).startsWith("HTTP/1.1 413").contains("application/problem+json").contains("\"status\":413");
    }
  }
}
