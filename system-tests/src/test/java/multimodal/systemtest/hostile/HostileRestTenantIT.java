package multimodal.systemtest.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * REST, tenant against tenant: the attacker {@code mallory} guesses the victim {@code acme}'s media
 * id (here: knows it) and tries every route that takes one, and tries to pass for acme with headers
 * and fields. The documented answer is the one an unknown id gets (404, the same problem), and the
 * victim's item stays whole.
 */
@ExtendWith(HostileSuite.class)
class HostileRestTenantIT {
  private static HostileWorld world;
  private static String victimId;

  @BeforeAll
  static void world(HostileWorld w) {
    world = w;
    victimId = w.victimItem().mediaId();
  }

  @AfterEach
  void nothingOfTheVictimsWasLostOrLeaked() throws Exception {
    world.assertVictimIntact();
    world.assertAttackerCannotFindVictim();
  }

  /** The victim's id gets exactly the answer of an id nobody holds: same status, same words. */
  private static void assertSameAsUnknownId(
      HttpResponse<String> victims, HttpResponse<String> unknowns, String unknownId) {
    assertThat(victims.statusCode()).as(victims.body()).isEqualTo(404);
    assertThat(unknowns.statusCode()).as(unknowns.body()).isEqualTo(404);
    assertThat(victims.body().replace(victimId, "ID"))
        .isEqualTo(unknowns.body().replace(unknownId, "ID"));
    assertThat(victims.body()).doesNotContain("acme", "owner");
  }

  private static String unknownId() {
    return "unknown-" + UUID.randomUUID();
  }

  @ParameterizedTest(name = "GET {0} of the victim's id is a 404 like an unknown id")
  @ValueSource(strings = {"", "/content", "/thumbnail"})
  void readsOfAnotherTenantsItem(String suffix) throws Exception {
    String unknown = unknownId();
    assertSameAsUnknownId(
        world.attacker().get("/v1/media/" + victimId + suffix),
        world.attacker().get("/v1/media/" + unknown + suffix),
        unknown);
  }

  @Test
  void deleteOfAnotherTenantsItemIsA404AndDeletesNothing() throws Exception {
    String unknown = unknownId();
    assertSameAsUnknownId(
        world.attacker().delete("/v1/media/" + victimId),
        world.attacker().delete("/v1/media/" + unknown),
        unknown);
  }

  @ParameterizedTest(name = "POST {0} with the victim's mediaId is a 404 like an unknown id")
  @ValueSource(
      strings = {"/v1/caption", "/v1/ocr", "/v1/classify", "/v1/rank-texts", "/v1/analyze"})
  void insightsOnAnotherTenantsItem(String route) throws Exception {
    String unknown = unknownId();
    String body = "{\"mediaId\":\"%s\",\"labels\":[\"red\",\"blue\"],\"texts\":[\"red\",\"blue\"]}";
    assertSameAsUnknownId(
        world.attacker().postJson(route, body.formatted(victimId)),
        world.attacker().postJson(route, body.formatted(unknown)),
        unknown);
  }

  @Test
  void askAboutAnotherTenantsItemIsA404() throws Exception {
    String unknown = unknownId();
    String body = "{\"mediaId\":\"%s\",\"question\":\"what colour is it?\"}";
    assertSameAsUnknownId(
        world.attacker().postJson("/v1/ask", body.formatted(victimId)),
        world.attacker().postJson("/v1/ask", body.formatted(unknown)),
        unknown);
  }

  @Test
  void moreLikeThisOfAnotherTenantsItemIsA404() throws Exception {
    String unknown = unknownId();
    assertSameAsUnknownId(
        world.attacker().get("/v1/search?mediaId=" + victimId),
        world.attacker().get("/v1/search?mediaId=" + unknown),
        unknown);
  }

  @Test
  void uploadUnderAnotherTenantsMediaIdIsRefusedWith409() throws Exception {
    HttpResponse<String> claim =
        world
            .attacker()
            .upload(
                Images.form(
                    "x.png", "image/png", Images.distinctPng(), Map.of("mediaId", victimId)));
    assertThat(claim.statusCode()).as(claim.body()).isEqualTo(409);
    assertThat(claim.body()).doesNotContain("acme");
  }

  @Test
  void urlIngestUnderAnotherTenantsMediaIdIsRefusedWith409() throws Exception {
    HttpResponse<String> claim =
        world
            .attacker()
            .postJson(
                "/v1/media",
                "{\"uri\":\"https://example.com/a.png\",\"mediaId\":\"" + victimId + "\"}");
    assertThat(claim.statusCode()).as(claim.body()).isEqualTo(409);
  }

  @ParameterizedTest(name = "header {0}: acme does not make mallory acme")
  @ValueSource(strings = {"X-Tenant", "Tenant", "X-Forwarded-Tenant", "ce-tenant"})
  void tenantHeadersAreIgnored(String header) throws Exception {
    HttpResponse<String> read =
        world.attacker().get("/v1/media/" + victimId, header, HostileWorld.VICTIM_TENANT);
    assertThat(read.statusCode()).as(read.body()).isEqualTo(404);
    assertThat(world.attacker().searchIds("something red", header, HostileWorld.VICTIM_TENANT))
        .doesNotContain(victimId);
  }

  @Test
  void tenantQueryParameterIsIgnored() throws Exception {
    assertThat(world.attacker().get("/v1/media/" + victimId + "?tenant=acme").statusCode())
        .isEqualTo(404);
    assertThat(world.attacker().get("/v1/search?q=red&safe=false&tenant=acme").body())
        .doesNotContain(victimId);
  }

  @Test
  void aSecondKeyHeaderDoesNotAddTheVictimsTenant() throws Exception {
    // The attacker's key and, beside it, a bearer token that is not a key: the answer is the
    // attacker's alone.
    HttpResponse<String> read =
        world.attacker().get("/v1/media/" + victimId, "Authorization", "Bearer acme");
    assertThat(read.statusCode()).isIn(401, 404);
  }

  @Test
  void tenantFieldsInAnUploadLandInTheUploadersTenant() throws Exception {
    HttpResponse<String> upload =
        world
            .attacker()
            .upload(
                Images.form(
                    "mine.png",
                    "image/png",
                    Images.distinctPng(),
                    Map.of("tenant", "acme", "metadata", "{\"tenant\":\"acme\"}")),
                "X-Tenant",
                "acme");
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
    String id = Rest.json(upload).path("mediaId").asText();
    assertThat(world.kafka().ingestEvent(id).tenant()).isEqualTo(HostileWorld.ATTACKER_TENANT);
    assertThat(world.victim().get("/v1/media/" + id).statusCode()).isEqualTo(404);
  }

  @Test
  void withoutAKeyEveryRouteIs401() throws Exception {
    Rest anonymous = new Rest(world.gatewayUrl(), null);
    for (String path :
        new String[] {
          "/v1/media/" + victimId, "/v1/media/" + victimId + "/content", "/v1/search?q=red"
        }) {
      assertThat(anonymous.get(path).statusCode()).as(path).isEqualTo(401);
    }
    assertThat(new Rest(world.gatewayUrl(), "acme").get("/v1/media/" + victimId).statusCode())
        .as("a tenant's name is not a key")
        .isEqualTo(401);
  }
}
