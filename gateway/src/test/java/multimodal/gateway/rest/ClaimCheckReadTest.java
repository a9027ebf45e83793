package multimodal.gateway.rest;

import static io.restassured.RestAssured.given;
import static multimodal.gateway.rest.TestKeys.asDefault;
import static multimodal.gateway.rest.TestKeys.asOther;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.MediaIds;
import multimodal.gateway.blob.BlobUrlSigner;
import multimodal.gateway.grpc.FakeBackendsTestResource;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The internal claim-check route serves a blob only through a URL the gateway signed for a tenant
 * that holds it; every other request, whatever is wrong with it, gets the very same 404.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class ClaimCheckReadTest {
  private static final Path HORSE = Path.of("../testdata/images/horse.png");
  private static final String BASE = "http://127.0.0.1:18080";

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @ConfigProperty(name = "gateway.blobs.signing-key")
  String signingKey;

  @ConfigProperty(name = "gateway.blobs.dir")
  Path blobDir;

  private final IngestEventCodec codec = new IngestEventCodec();

  /** A PNG no other test uploads: its own blob. */
  private static byte[] uniqueImage() throws IOException {
    byte[] horse = Files.readAllBytes(HORSE);
    byte[] tail = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = new byte[horse.length + tail.length];
    System.arraycopy(horse, 0, bytes, 0, horse.length);
    System.arraycopy(tail, 0, bytes, horse.length, tail.length);
    return bytes;
  }

  private IngestEvent upload(io.restassured.specification.RequestSpecification as, byte[] bytes) {
    String eventId =
        as.multiPart("file", "image.png", bytes, "image/png")
            .post("/v1/media")
            .then()
            .statusCode(202)
            .extract()
            .path("eventId");
    var record = IngestTopicReader.awaitEvent(bootstrapServers, eventId);
    return codec.decode(record.key(), record.value(), Map.of());
  }

  private static io.restassured.response.ValidatableResponse read(String url) {
    URI uri = URI.create(url);
    String target =
        uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    return given().urlEncodingEnabled(false).get(target).then();
  }

  /** The refusal's body without its instance (the path differs per blob). */
  private static Map<String, Object> refusal(String url) {
    JsonPath body =
        read(url).statusCode(404).contentType("application/problem+json").extract().jsonPath();
    Map<String, Object> problem = new java.util.HashMap<>(body.getMap(""));
    problem.remove("instance");
    return problem;
  }

  private BlobUrlSigner signer(Clock clock) {
    return new BlobUrlSigner(
        signingKey.getBytes(StandardCharsets.UTF_8), Duration.ofDays(7), clock);
  }

  @Test
  void onlyTheSignedUrlOfATenantHoldingTheBlobReadsItAndEveryOtherRequestGetsTheSame404()
      throws IOException {
    byte[] bytes = uniqueImage();
    String blob = MediaIds.sha256(bytes);
    IngestEvent event = upload(asDefault(), bytes);
    String signed = event.uri();
    assertThat(read(signed).statusCode(200).extract().asByteArray()).isEqualTo(bytes);

    int at = signed.indexOf("&sig=") + 5;
    String tampered =
        signed.substring(0, at) + (signed.charAt(at) == 'A' ? 'B' : 'A') + signed.substring(at + 1);
    Instant monthAgo = Instant.now().minus(Duration.ofDays(30));
    Map<String, Object> expected = refusal(BASE + "/internal/blobs/" + blob);
    assertThat(expected).containsEntry("status", 404);

    assertThat(refusal(tampered)).as("tampered signature").isEqualTo(expected);
    assertThat(refusal(signed.replace("tenant=default", "tenant=other")))
        .as("another tenant, same signature")
        .isEqualTo(expected);
    assertThat(refusal(signer(Clock.systemUTC()).sign(BASE, "other", blob)))
        .as("validly signed for a tenant that does not hold it")
        .isEqualTo(expected);
    assertThat(refusal(signer(Clock.fixed(monthAgo, ZoneOffset.UTC)).sign(BASE, "default", blob)))
        .as("expired")
        .isEqualTo(expected);
    assertThat(
            refusal(
                new BlobUrlSigner(
                        "another-key-another-key-another-k".getBytes(StandardCharsets.UTF_8),
                        Duration.ofDays(7),
                        Clock.systemUTC())
                    .sign(BASE, "default", blob)))
        .as("another key")
        .isEqualTo(expected);
    assertThat(refusal(signer(Clock.systemUTC()).sign(BASE, "default", "0".repeat(64))))
        .as("a blob nobody uploaded")
        .isEqualTo(expected);
    assertThat(refusal(BASE + "/internal/blobs/not-a-hash?tenant=default&expires=1&sig=x"))
        .isEqualTo(expected);
    // An API key is no permission here either.
    assertThat(
            asDefault()
                .get(URI.create(signed).getRawPath())
                .then()
                .statusCode(404)
                .extract()
                .jsonPath()
                .getString("detail"))
        .isEqualTo(expected.get("detail"));
  }

  @Test
  void aDeleteEndsItsTenantsReadsAndLeavesAnotherTenantsCopyReadable() throws IOException {
    byte[] bytes = uniqueImage();
    IngestEvent mine = upload(asDefault(), bytes);
    IngestEvent theirs = upload(asOther(), bytes);
    assertThat(theirs.uri()).as("one blob, two tenants, two URLs").isNotEqualTo(mine.uri());

    asDefault().delete("/v1/media/" + mine.mediaId()).then().statusCode(202);

    read(mine.uri()).statusCode(404);
    assertThat(read(theirs.uri()).statusCode(200).extract().asByteArray()).isEqualTo(bytes);
    Path file = blobFile(bytes);
    assertThat(file).as("the other tenant's item still references the bytes").exists();

    asOther().delete("/v1/media/" + theirs.mediaId()).then().statusCode(202);

    read(theirs.uri()).statusCode(404);
    assertThat(file).as("the last reference is gone, and so are the bytes").doesNotExist();
    asOther().get("/v1/media/" + theirs.mediaId() + "/content").then().statusCode(404);
  }

  @Test
  void deletingOneOfATenantsTwoItemsOfTheSameBytesKeepsThemReadable() throws IOException {
    byte[] bytes = uniqueImage();
    String first = "dup-a-" + UUID.randomUUID();
    String second = "dup-b-" + UUID.randomUUID();
    asDefault()
        .multiPart("file", "a.png", bytes, "image/png")
        .multiPart("mediaId", first)
        .post("/v1/media")
        .then()
        .statusCode(202);
    String eventId =
        asDefault()
            .multiPart("file", "b.png", bytes, "image/png")
            .multiPart("mediaId", second)
            .post("/v1/media")
            .then()
            .statusCode(202)
            .extract()
            .path("eventId");
    var record = IngestTopicReader.awaitEvent(bootstrapServers, eventId);
    IngestEvent event = codec.decode(record.key(), record.value(), Map.of());

    asDefault().delete("/v1/media/" + first).then().statusCode(202);

    assertThat(read(event.uri()).statusCode(200).extract().asByteArray()).isEqualTo(bytes);
    assertThat(blobFile(bytes)).exists();
    asDefault().delete("/v1/media/" + second).then().statusCode(202);
    assertThat(blobFile(bytes)).doesNotExist();
  }

  private Path blobFile(byte[] bytes) {
    String hash = multimodal.gateway.MediaIds.sha256(bytes);
    return blobDir.resolve("sha256").resolve(hash.substring(0, 2)).resolve(hash);
  }
}
