package multimodal.gateway.rest;

import static io.restassured.RestAssured.given;
import static multimodal.gateway.rest.TestKeys.asDefault;
import static multimodal.gateway.rest.TestKeys.asOther;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.grpc.FakeBackendsTestResource;
import multimodal.gateway.grpc.FakeGeneratorService;
import multimodal.gateway.grpc.FakeRetrievalService;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * One tenant cannot read, search, fetch, caption or delete another tenant's media, nor take over
 * its media id; API keys are required on /v1 and limited per key; health, metrics and OpenAPI stay
 * open.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class TenantIsolationTest {
  /** Health and metrics answer on the management interface, not on the public port. */
  @ConfigProperty(name = "quarkus.management.test-port")
  int managementPort;

  private static final Path COFFEE = Path.of("../testdata/images/coffee.png");

  @FakeBackendsTestResource.InjectFake FakeRetrievalService retrieval;
  @FakeBackendsTestResource.InjectFake FakeGeneratorService generator;

  @Test
  void otherTenantCannotReadSearchFetchOrDeleteMyMedia() {
    String mine =
        asDefault()
            .multiPart("file", COFFEE.toFile(), "image/png")
            .multiPart("mediaId", "coffee-of-default")
            .post("/v1/media")
            .then()
            .statusCode(202)
            .extract()
            .path("mediaId");
    retrieval.index("default", mine); // as if the pipeline had indexed it

    // The owner sees it everywhere.
    asDefault()
        .get("/v1/media/{id}", mine)
        .then()
        .statusCode(200)
        .body("tenant", equalTo("default"));
    asDefault()
        .get("/v1/media/{id}/thumbnail", mine)
        .then()
        .statusCode(200)
        .contentType("image/jpeg");
    List<String> ownHits =
        asDefault()
            .queryParam("q", "coffee")
            .get("/v1/search")
            .then()
            .statusCode(200)
            .extract()
            .path("hits.mediaId");
    assertThat(ownHits).contains(mine);

    // Another tenant sees nothing of it: the same 404 as for an id that never existed.
    asOther()
        .get("/v1/media/{id}", mine)
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("detail", equalTo("no media 'coffee-of-default' in tenant 'other'"));
    asOther().get("/v1/media/{id}/content", mine).then().statusCode(404);
    asOther().get("/v1/media/{id}/thumbnail", mine).then().statusCode(404);
    List<String> otherHits =
        asOther()
            .queryParam("q", "coffee")
            .get("/v1/search")
            .then()
            .statusCode(200)
            .extract()
            .path("hits.mediaId");
    assertThat(otherHits).doesNotContain(mine);
    assertThat(retrieval.lastSearch().getTenant()).isEqualTo("other");
    asOther().queryParam("mediaId", mine).get("/v1/search").then().statusCode(200);
    assertThat(retrieval.lastSearch().getTenant()).isEqualTo("other");
    asOther()
        .contentType(ContentType.JSON)
        .body(Map.of("mediaId", mine))
        .post("/v1/caption")
        .then()
        .statusCode(404);
    asOther()
        .delete("/v1/media/{id}", mine)
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    // Nor can it take the id over.
    asOther()
        .multiPart("file", COFFEE.toFile(), "image/png")
        .multiPart("mediaId", mine)
        .post("/v1/media")
        .then()
        .statusCode(409)
        .contentType("application/problem+json");

    // Still there for its owner, who may delete it.
    asDefault().get("/v1/media/{id}", mine).then().statusCode(200);
    asDefault()
        .delete("/v1/media/{id}", mine)
        .then()
        .statusCode(202)
        .body("status", equalTo("deleting"));
    asDefault().get("/v1/media/{id}/content", mine).then().statusCode(404);
  }

  @Test
  void missingOrUnknownKeyIsA401Problem() {
    given()
        .get("/v1/search?q=horse")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", "Bearer");
    given()
        .header("X-API-Key", "not-a-key")
        .get("/v1/search?q=horse")
        .then()
        .statusCode(401)
        .body("status", equalTo(401));
    given()
        .header("Authorization", "Bearer " + TestKeys.DEFAULT)
        .get("/v1/search?q=horse")
        .then()
        .statusCode(200);
    given().header("X-API-Key", "").post("/v1/media").then().statusCode(401);
  }

  @Test
  void healthMetricsOpenApiAndTheWebUiNeedNoKey() {
    given().port(managementPort).get("/q/health/live").then().statusCode(200);
    given().port(managementPort).get("/q/health/ready").then().statusCode(200);
    given().port(managementPort).get("/q/metrics").then().statusCode(200);
    given().get("/q/openapi").then().statusCode(200);
    given().get("/").then().statusCode(200).contentType(ContentType.HTML);
  }

  @Test
  void eachKeyIsRateLimitedWith429AndRetryAfter() {
    given().header("X-API-Key", TestKeys.LIMITED).get("/v1/search?q=a").then().statusCode(200);
    given().header("X-API-Key", TestKeys.LIMITED).get("/v1/search?q=b").then().statusCode(200);
    given()
        .header("X-API-Key", TestKeys.LIMITED)
        .get("/v1/search?q=c")
        .then()
        .statusCode(429)
        .contentType("application/problem+json")
        .header("Retry-After", "100");
    // Other keys are not affected.
    asOther().get("/v1/search?q=d").then().statusCode(200);
    // Counted, without the tenant's name: /q/metrics is readable without a key.
    given()
        .port(managementPort)
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(org.hamcrest.Matchers.containsString("gateway_auth_rate_limited_total"))
        .body(
            org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("tenant=\"limited\"")));
  }

  @Test
  void tenantTravelsToTheGenerator() {
    String id =
        asOther()
            .multiPart("file", COFFEE.toFile(), "image/png")
            .multiPart("mediaId", "coffee-of-other")
            .post("/v1/media")
            .then()
            .statusCode(202)
            .extract()
            .path("mediaId");
    asOther()
        .contentType(ContentType.JSON)
        .body(Map.of("mediaId", id))
        .post("/v1/caption")
        .then()
        .statusCode(200);
    assertThat(generator.lastTenant()).isEqualTo("other");
  }
}
