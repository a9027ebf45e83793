package multimodal.systemtest.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import multimodal.v1.ClassifyRequest;
import multimodal.v1.ImageSource;
import multimodal.v1.ImageTarget;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading a blob by its hash, by every route: the internal claim-check route without a valid signed
 * URL, a caller's URL pointing at that route (REST, the public gRPC proxies, a Kafka event), and
 * after a delete. Every refusal must read the same for a blob that exists and one that does not.
 */
@ExtendWith(HostileSuite.class)
class HostileBlobIT {
  private static HostileWorld world;
  private static String sha;
  private static String nobodysSha;
  private static Rest anonymous;

  @BeforeAll
  static void world(HostileWorld w) {
    world = w;
    sha = w.victimItem().sha256();
    nobodysSha = Images.sha256(UUID.randomUUID().toString().getBytes());
    anonymous = new Rest(w.gatewayUrl(), null);
  }

  @AfterEach
  void victimIntact() throws Exception {
    world.assertVictimIntact();
  }

  private static String blob(String hash, String query) {
    return "/internal/blobs/" + hash + query;
  }

  /** A refusal of the internal route: 404, the same body for the victim's blob and for nobody's. */
  private static void assertRefusedAlike(String victimQuery, String nobodysQuery) throws Exception {
    HttpResponse<String> victims = anonymous.get(blob(sha, victimQuery));
    HttpResponse<String> nobodys = anonymous.get(blob(nobodysSha, nobodysQuery));
    assertThat(victims.statusCode()).as(victims.body()).isEqualTo(404);
    assertThat(nobodys.statusCode()).isEqualTo(404);
    assertThat(victims.body().replace(sha, "H")).isEqualTo(nobodys.body().replace(nobodysSha, "H"));
  }

  @Test
  void theSignedUrlItselfReadsTheBlob() throws Exception {
    // The control: the route does serve a valid URL, so the refusals below are the signature's
    // doing.
    HttpResponse<byte[]> read = new Rest("", null).getBytes(world.victimItem().signedUrl());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo(world.victimItem().bytes());
  }

  @Test
  void noQueryIsA404() throws Exception {
    assertRefusedAlike("", "");
  }

  @Test
  void aTenantWithoutASignatureIsA404() throws Exception {
    assertRefusedAlike("?tenant=acme", "?tenant=acme");
  }

  @Test
  void aForgedSignatureIsA404() throws Exception {
    long expires = Instant.now().plusSeconds(3600).getEpochSecond();
    String forged = "?tenant=acme&expires=" + expires + "&sig=" + "A".repeat(43);
    assertRefusedAlike(forged, forged);
  }

  @Test
  void theVictimsSignatureWithTheAttackersTenantIsA404() throws Exception {
    String query =
        world.victimItem().signedUrl().substring(world.victimItem().signedUrl().indexOf('?'));
    assertThat(
            anonymous.get(blob(sha, query.replace("tenant=acme", "tenant=mallory"))).statusCode())
        .isEqualTo(404);
  }

  @Test
  void theVictimsSignatureWithALaterExpiryIsA404() throws Exception {
    String url = world.victimItem().signedUrl();
    String later =
        url.replaceFirst(
            "expires=(\\d+)", "expires=" + (Instant.now().getEpochSecond() + 30L * 24 * 3600));
    assertThat(later).isNotEqualTo(url);
    assertThat(new Rest("", null).get(later).statusCode()).isEqualTo(404);
  }

  @Test
  void aCorrectlySignedButExpiredUrlIsA404() throws Exception {
    long past = Instant.now().minusSeconds(60).getEpochSecond();
    String expired =
        BlobUrls.signed(world.gatewayUrl(), world.platform().blobSigningKey(), "acme", sha, past);
    String live =
        BlobUrls.signed(
            world.gatewayUrl(), world.platform().blobSigningKey(), "acme", sha, past + 3600);
    assertThat(new Rest("", null).get(expired).statusCode()).isEqualTo(404);
    assertThat(new Rest("", null).get(live).statusCode())
        .as("the same URL before its expiry")
        .isEqualTo(200);
  }

  @Test
  void aUrlSignedForATenantThatNeverHeldTheBlobIsA404() throws Exception {
    long expires = Instant.now().plusSeconds(3600).getEpochSecond();
    String url =
        BlobUrls.signed(
            world.gatewayUrl(), world.platform().blobSigningKey(), "mallory", sha, expires);
    assertThat(new Rest("", null).get(url).statusCode()).isEqualTo(404);
  }

  @ParameterizedTest(name = "REST caption uri {0} is refused alike for any hash")
  @ValueSource(
      strings = {
        "/internal/blobs/%s",
        "/INTERNAL/Blobs/%s",
        "/v1/../internal/blobs/%s",
        "//internal//blobs/%s",
        "/internal/%%62lobs/%s",
        "/internal/./blobs/%s"
      })
  void restUrisNamingTheInternalRouteAreRefusedAlike(String path) throws Exception {
    String body = "{\"uri\":\"%s\"}";
    HttpResponse<String> victims =
        world
            .attacker()
            .postJson("/v1/caption", body.formatted(world.gatewayUrl() + path.formatted(sha)));
    HttpResponse<String> nobodys =
        world
            .attacker()
            .postJson(
                "/v1/caption", body.formatted(world.gatewayUrl() + path.formatted(nobodysSha)));
    assertThat(victims.statusCode()).as(victims.body()).isEqualTo(400);
    assertThat(victims.body().replace(sha, "H")).isEqualTo(nobodys.body().replace(nobodysSha, "H"));
  }

  @Test
  void urlIngestOfTheInternalRouteIsRefused() throws Exception {
    HttpResponse<String> ingest =
        world
            .attacker()
            .postJson(
                "/v1/media", "{\"uri\":\"" + world.gatewayUrl() + "/internal/blobs/" + sha + "\"}");
    assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(400);
  }

  @Test
  void grpcCaptionOfTheInternalRouteIsRefusedAlike() throws Exception {
    try (PublicGrpc grpc = PublicGrpc.open(world, HostileWorld.ATTACKER_KEY)) {
      StatusRuntimeException victims =
          grpc.captionFails(world.gatewayUrl() + "/internal/blobs/" + sha);
      StatusRuntimeException nobodys =
          grpc.captionFails(world.gatewayUrl() + "/internal/blobs/" + nobodysSha);
      assertThat(victims.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(victims.getStatus().getDescription().replace(sha, "H"))
          .isEqualTo(nobodys.getStatus().getDescription().replace(nobodysSha, "H"));
    }
  }

  @Test
  void grpcCaptionOfTheVictimsOwnSignedUrlIsRefused() throws Exception {
    // Even a leaked signed URL: the proxies never forward a URL under the internal route.
    try (PublicGrpc grpc = PublicGrpc.open(world, HostileWorld.ATTACKER_KEY)) {
      assertThat(grpc.captionFails(world.victimItem().signedUrl()).getStatus().getCode())
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
  }

  @Test
  void grpcClassifyOfTheInternalRouteIsRefused() throws Exception {
    try (PublicGrpc grpc = PublicGrpc.open(world, HostileWorld.ATTACKER_KEY)) {
      ClassifyRequest request =
          ClassifyRequest.newBuilder()
              .setImage(
                  ImageTarget.newBuilder()
                      .setImage(
                          ImageSource.newBuilder()
                              .setUri(world.gatewayUrl() + "/internal/blobs/" + sha)))
              .addLabels("red")
              .addLabels("blue")
              .build();
      StatusRuntimeException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              StatusRuntimeException.class, () -> grpc.retrieval().classify(request));
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
  }

  @Test
  void aKafkaEventWithAnUnsignedInternalUrlIsDeadLettered() throws Exception {
    String id = "hostile-unsigned-" + UUID.randomUUID();
    world
        .kafka()
        .sendStructured(
            new IngestEvent(
                UUID.randomUUID().toString(),
                HostileWorld.TRUSTED_SOURCE,
                Instant.now(),
                id,
                "mallory",
                "image/png",
                world.gatewayUrl() + "/internal/blobs/" + sha,
                null,
                Map.of(),
                java.util.List.of()));
    assertThat(world.kafka().awaitDeadLetter(Topics.MEDIA_INGEST_ENCODER_DLQ, id).reason())
        .contains("404");
    assertThat(world.attacker().searchIds("something red")).doesNotContain(id);
  }

  @Test
  void afterADeleteTheItemsSignedUrlIsA404() throws Exception {
    HttpResponse<String> upload = world.victim().upload(Images.form(Images.distinctPng()));
    assertThat(upload.statusCode()).isEqualTo(202);
    String id = Rest.json(upload).path("mediaId").asText();
    String url = world.kafka().ingestEvent(id).uri();
    assertThat(new Rest("", null).get(url).statusCode()).isEqualTo(200);
    assertThat(world.victim().delete("/v1/media/" + id).statusCode()).isEqualTo(202);
    assertThat(new Rest("", null).get(url).statusCode()).isEqualTo(404);
  }
}
