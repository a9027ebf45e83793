package multimodal.gateway.rest;

import static io.restassured.RestAssured.given;
import static multimodal.gateway.rest.TestKeys.asDefault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.MediaIngestion;
import multimodal.gateway.grpc.FakeBackendsTestResource;
import multimodal.media.video.TestVideos;
import multimodal.v1.Limits;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Audio and video have their own, larger limit ({@code gateway.upload.audio-video-max-bytes}, here
 * 40 MiB so the test files stay small; 512 MiB by default) and travel only by claim check: a video
 * over the image limit and over the old 32 MiB body limit is streamed to the blob store and served
 * back whole; one over its limit, and an image over the image limit, get 413 naming their limit.
 * Every other route keeps the small body limit.
 */
@QuarkusTest
@TestProfile(LargeMediaUploadTest.SmallerAudioVideoLimit.class)
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class LargeMediaUploadTest {
  static final long LIMIT = 40L * 1024 * 1024;

  public static class SmallerAudioVideoLimit implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("gateway.upload.audio-video-max-bytes", Long.toString(LIMIT));
    }
  }

  private static Path dir;
  private static byte[] smallVideo;

  private final IngestEventCodec codec = new IngestEventCodec();

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @BeforeAll
  static void makeVideo() throws IOException {
    dir = Files.createTempDirectory("large-media-upload-");
    smallVideo = TestVideos.mp4(1, "horse.png");
  }

  @Test
  void aVideoOverTheImageAndOldBodyLimitsIsStoredWholeAndPublishedAsClaimCheck() throws Exception {
    long size = 36L * 1024 * 1024; // over 16 MiB (images) and 32 MiB (every other body)
    Path video = TestVideos.paddedMp4(smallVideo, size, dir.resolve("large.mp4"));
    String sha256 = sha256(Files.newInputStream(video));
    try {
      String eventId =
          asDefault()
              .multiPart("file", video.toFile(), "video/mp4")
              .post("/v1/media")
              .then()
              .statusCode(202)
              .body("mediaId", equalTo(MediaIngestion.defaultMediaId("default", sha256)))
              .extract()
              .path("eventId");

      ConsumerRecord<String, byte[]> record =
          IngestTopicReader.awaitEvent(bootstrapServers, eventId);
      assertThat(record.value().length).as("the event stays small").isLessThan(4096);
      IngestEvent event = codec.decode(record.key(), record.value(), Map.of());
      assertThat(event.contentType()).isEqualTo("video/mp4");
      assertThat(event.inline()).isFalse();
      assertThat(event.uri()).contains("/internal/blobs/" + sha256);
      // The claim check serves the same bytes, streamed (hashed here as they arrive).
      io.restassured.response.Response served =
          given().urlEncodingEnabled(false).get(pathAndQuery(event.uri()));
      assertThat(served.statusCode()).isEqualTo(200);
      assertThat(served.header("Content-Type")).isEqualTo("video/mp4");
      assertThat(served.header("Content-Length")).isEqualTo(Long.toString(size));
      assertThat(sha256(served.asInputStream())).isEqualTo(sha256);
      // So does the owner's content route.
      io.restassured.response.Response content =
          asDefault().get("/v1/media/{id}/content", event.mediaId());
      assertThat(content.statusCode()).isEqualTo(200);
      assertThat(content.header("Content-Type")).isEqualTo("video/mp4");
      assertThat(sha256(content.asInputStream())).isEqualTo(sha256);
    } finally {
      Files.deleteIfExists(video);
    }
  }

  @Test
  void aVideoOverTheAudioVideoLimitIsRefusedWith413NamingIt() throws IOException {
    Path video = TestVideos.paddedMp4(smallVideo, LIMIT + 1, dir.resolve("over.mp4"));
    try {
      asDefault()
          .multiPart("file", video.toFile(), "video/mp4")
          .post("/v1/media")
          .then()
          .statusCode(413)
          .contentType("application/problem+json")
          .body("status", equalTo(413))
          .body(
              "detail",
              equalTo(
                  "the video/mp4 file has "
                      + (LIMIT + 1)
                      + " bytes; the limit is "
                      + LIMIT
                      + " for audio and video (gateway.upload.audio-video-max-bytes)"));
    } finally {
      Files.deleteIfExists(video);
    }
  }

  @Test
  void anImageOverTheImageLimitIsStillRefused() throws IOException {
    Path image = dir.resolve("big.png");
    byte[] png = Files.readAllBytes(Path.of("../testdata/images/horse.png"));
    try (OutputStream out = Files.newOutputStream(image)) {
      out.write(png, 0, 8); // a PNG signature: the size, not the type, decides
      out.write(new byte[(int) Limits.IMAGE_MAX_BYTES + 1 - 8]);
    }
    try {
      asDefault()
          .multiPart("file", image.toFile(), "image/png")
          .post("/v1/media")
          .then()
          .statusCode(413)
          .body(
              "detail",
              equalTo(
                  "the image has "
                      + (Limits.IMAGE_MAX_BYTES + 1)
                      + " bytes; the limit is "
                      + Limits.IMAGE_MAX_BYTES));
    } finally {
      Files.deleteIfExists(image);
    }
  }

  /** JSON routes are read into memory: they keep the small limit, and a chunked body is refused. */
  @Test
  void otherRoutesKeepTheSmallBodyLimit() throws IOException {
    String declared =
        rawRequest(
            "POST /v1/search HTTP/1.1\r\nHost: x\r\nX-API-Key: "
                + TestKeys.DEFAULT
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + (33L * 1024 * 1024)
                + "\r\n\r\n{");
    assertThat(declared).startsWith("HTTP/1.1 413").contains("33554432 bytes", "POST /v1/media");
    String urlIngest =
        rawRequest(
            "POST /v1/media HTTP/1.1\r\nHost: x\r\nX-API-Key: "
                + TestKeys.DEFAULT
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + (33L * 1024 * 1024)
                + "\r\n\r\n{");
    assertThat(urlIngest).as("the URL ingest's JSON body").startsWith("HTTP/1.1 413");
    String chunked =
        rawRequest(
            "POST /v1/search HTTP/1.1\r\nHost: x\r\nX-API-Key: "
                + TestKeys.DEFAULT
                + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n"
                + "1\r\n"
                + "{\r\n");
    assertThat(chunked).startsWith("HTTP/1.1 411").contains("Content-Length");
  }

  /** Sends a request head (and a bit of body) and reads the answer until the server closes. */
  private static String rawRequest(String head) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", 18080)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String sha256(InputStream stream) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(stream, digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String pathAndQuery(String uri) {
    URI parsed = URI.create(uri);
    return parsed.getRawPath() + "?" + parsed.getRawQuery();
  }
}
