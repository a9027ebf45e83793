package multimodal.gateway.rest;

import static io.restassured.RestAssured.given;
import static multimodal.gateway.rest.TestKeys.asDefault;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.MediaIds;
import multimodal.gateway.MediaIngestion;
import multimodal.gateway.grpc.FakeBackendsTestResource;
import multimodal.v1.Limits;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest over REST, checked on a real broker: the 202 means the CloudEvent is on media.ingest.v1.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class MediaIngestTest {
  private static final Path HORSE = Path.of("../testdata/images/horse.png");
  private final IngestEventCodec codec = new IngestEventCodec();

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @Test
  void uploadedPngIsStoredByContentHashAndPublishedAsClaimCheckCloudEvent() throws IOException {
    byte[] bytes = Files.readAllBytes(HORSE);
    String blob = MediaIds.sha256(bytes);
    String expectedId = MediaIngestion.defaultMediaId("default", blob);

    ExtractableResponse<Response> accepted =
        asDefault()
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
    assertThat(
            new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
        .isEqualTo("application/cloudevents+json");
    IngestEvent event = codec.decode(record.key(), record.value(), Map.of());
    assertThat(event.eventId()).isEqualTo(eventId);
    assertThat(event.source()).isEqualTo("/gateway");
    assertThat(event.mediaId()).isEqualTo(expectedId);
    assertThat(event.tenant()).isEqualTo("default");
    assertThat(event.contentType()).isEqualTo("image/png");
    assertThat(event.data()).isNull();
    assertThat(event.uri())
        .startsWith("http://127.0.0.1:18080/internal/blobs/" + blob + "?tenant=default&expires=")
        .contains("&sig=");
    assertThat(event.tags()).containsExactly("animal", "farm");
    assertThat(event.metadata())
        .containsExactlyInAnyOrderEntriesOf(Map.of("source", "contract-test", "legs", "4"));

    // The workers' claim-check read: the signed URL as given, no credential; the exact bytes.
    byte[] fetched =
        given()
            .urlEncodingEnabled(false)
            .when()
            .get(pathAndQuery(event.uri()))
            .then()
            .statusCode(200)
            .contentType("image/png")
            .extract()
            .asByteArray();
    assertThat(fetched).isEqualTo(bytes);
    // Without its signature, or with an API key instead, the same blob is a 404 like any unknown
    // one.
    given()
        .when()
        .get(URI.create(event.uri()).getPath())
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    asDefault().when().get(URI.create(event.uri()).getPath()).then().statusCode(404);
  }

  /**
   * Audio is accepted by its content (declared as octet-stream here) under the same byte limit,
   * announced as audio/wav, and served back to the workers with that type.
   */
  @Test
  void uploadedWavIsPublishedAsAudio(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tone.wav");
    byte[] wav = TestAudio.toneWav(1600);
    Files.write(file, wav);

    String eventId =
        asDefault()
            .multiPart("file", file.toFile(), "application/octet-stream")
            .when()
            .post("/v1/media")
            .then()
            .statusCode(202)
            .extract()
            .path("eventId");

    ConsumerRecord<String, byte[]> record = IngestTopicReader.awaitEvent(bootstrapServers, eventId);
    IngestEvent event = codec.decode(record.key(), record.value(), Map.of());
    assertThat(event.contentType()).isEqualTo("audio/wav");
    byte[] fetched =
        given()
            .urlEncodingEnabled(false)
            .when()
            .get(pathAndQuery(event.uri()))
            .then()
            .statusCode(200)
            .contentType("audio/wav")
            .extract()
            .asByteArray();
    assertThat(fetched).isEqualTo(wav);
  }

  /** Path and query of a URL as the gateway issued it, to request it unchanged. */
  static String pathAndQuery(String url) {
    URI uri = URI.create(url);
    return uri.getRawPath() + "?" + uri.getRawQuery();
  }

  @Test
  void reUploadOfTheSameBytesIsTheSameItem() {
    String first =
        asDefault()
            .multiPart("file", HORSE.toFile(), "image/png")
            .post("/v1/media")
            .then()
            .statusCode(202)
            .extract()
            .path("mediaId");
    String second =
        asDefault()
            .multiPart("file", HORSE.toFile(), "image/png")
            .post("/v1/media")
            .then()
            .statusCode(202)
            .extract()
            .path("mediaId");
    String otherTenant =
        TestKeys.asOther()
            .multiPart("file", HORSE.toFile(), "image/png")
            .post("/v1/media")
            .then()
            .statusCode(202)
            .extract()
            .path("mediaId");

    assertThat(second).isEqualTo(first);
    assertThat(otherTenant).as("two tenants' copies never share a key").isNotEqualTo(first);
  }

  @Test
  void batchOfUrlsReportsEachItem() {
    asDefault()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "items",
                java.util.List.of(
                    Map.of("uri", "https://images.example.com/batch/1.jpg"),
                    Map.of("uri", "ftp://nope/2.jpg"),
                    Map.of("uri", "https://images.example.com/batch/3.jpg", "mediaId", "batch-3"))))
        .when()
        .post("/v1/media/batch")
        .then()
        .statusCode(200)
        .body("accepted", equalTo(2))
        .body("failed", equalTo(1))
        .body("items[0].status", equalTo("accepted"))
        .body("items[1].status", equalTo("refused"))
        .body("items[1].problem.status", equalTo(400))
        .body("items[2].mediaId", equalTo("batch-3"));
  }

  @Test
  void batchUploadOfFilesReportsEachItem(@TempDir Path dir) throws IOException {
    Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
    asDefault()
        .multiPart("file", HORSE.toFile(), "image/png")
        .multiPart("file", text.toFile(), "image/png")
        .when()
        .post("/v1/media/batch")
        .then()
        .statusCode(200)
        .body("accepted", equalTo(1))
        .body("items[1].problem.status", equalTo(415));
  }

  @Test
  void callerChosenMediaIdBecomesTheKey() {
    String eventId =
        asDefault()
            .multiPart("file", HORSE.toFile(), "image/png")
            .multiPart("mediaId", "horse-from-test")
            .when()
            .post("/v1/media")
            .then()
            .statusCode(202)
            .body("mediaId", equalTo("horse-from-test"))
            .extract()
            .path("eventId");

    assertThat(IngestTopicReader.awaitEvent(bootstrapServers, eventId).key())
        .isEqualTo("horse-from-test");
  }

  @Test
  void textFileIsRejectedWith415Problem(@TempDir Path dir) throws IOException {
    Path text =
        Files.writeString(dir.resolve("notes.png"), "this is plain text, whatever the name says");

    asDefault()
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
        .body("detail", containsString("not a JPEG, PNG"))
        .body("detail", containsString("nor WAV, MP3, Ogg or FLAC audio"));
  }

  @Test
  void imageOverTheLimitIsRejectedWith413Problem(@TempDir Path dir) throws IOException {
    byte[] big = new byte[(int) Limits.IMAGE_MAX_BYTES + 1];
    System.arraycopy(
        Files.readAllBytes(HORSE), 0, big, 0, 8); // a PNG signature: size, not type, must decide
    Path file = Files.write(dir.resolve("big.png"), big);

    asDefault()
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
  void aTruncatedJpegIsRefusedAtTheDoorWithTheReason() throws IOException {
    byte[] rocket = Files.readAllBytes(Path.of("../testdata/images/rocket.jpg"));
    byte[] cut = java.util.Arrays.copyOf(rocket, rocket.length * 2 / 3);

    asDefault()
        .multiPart("file", "cut.jpg", cut, "image/jpeg")
        .post("/v1/media")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body(
            "detail",
            containsString("image is truncated: the JPEG data ends before its end-of-image marker"))
        .body("detail", containsString("gateway.upload.allow-truncated=false"));
  }

  @Test
  void anUploadOfExactlyThePlatformLimitTravelsByClaimCheckNotInTheEvent(@TempDir Path dir)
      throws IOException {
    byte[] big = new byte[(int) Limits.IMAGE_MAX_BYTES];
    System.arraycopy(Files.readAllBytes(HORSE), 0, big, 0, 8); // a PNG signature
    byte[] end = {'I', 'E', 'N', 'D', 42}; // and an end chunk: not truncated
    System.arraycopy(end, 0, big, big.length - end.length, end.length);
    Path file = Files.write(dir.resolve("big.png"), big);

    String eventId =
        asDefault()
            .multiPart("file", file.toFile(), "image/png")
            .post("/v1/media")
            .then()
            .statusCode(202)
            .extract()
            .path("eventId");

    ConsumerRecord<String, byte[]> record = IngestTopicReader.awaitEvent(bootstrapServers, eventId);
    assertThat(record.value().length).as("the event stays small").isLessThan(4096);
    IngestEvent event = codec.decode(record.key(), record.value(), Map.of());
    byte[] fetched =
        given()
            .urlEncodingEnabled(false)
            .get(pathAndQuery(event.uri()))
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    assertThat(fetched).isEqualTo(big);
  }

  @Test
  void missingFileFieldIsA400Problem() {
    asDefault()
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
    asDefault()
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
    String expectedId = MediaIngestion.defaultMediaId("default", MediaIds.sha256(uri));

    String eventId =
        asDefault()
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "uri",
                    uri,
                    "contentType",
                    "image/jpeg",
                    "tags",
                    java.util.List.of("cat"),
                    "metadata",
                    Map.of("album", "pets")))
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
  void uriOfTheInternalBlobRouteIsRefused() {
    // Workers read that route with the internal token: a caller must not make them fetch another
    // tenant's blob.
    asDefault()
        .contentType(ContentType.JSON)
        .body(Map.of("uri", "http://127.0.0.1:18080/internal/blobs/./" + "a".repeat(64)))
        .when()
        .post("/v1/media")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("internal blob route"));
  }

  @Test
  void nonHttpUriIsA400Problem() {
    asDefault()
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
    asDefault()
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
    asDefault()
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
      socket
          .getOutputStream()
          .write(
              ("POST /v1/media HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                      + "Content-Length: 40000000\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(response)
          .startsWith("HTTP/1.1 413")
          .contains("application/problem+json")
          .contains("\"status\":413");
    }
  }
}
