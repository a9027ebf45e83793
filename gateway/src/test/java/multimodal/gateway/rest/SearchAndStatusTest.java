package multimodal.gateway.rest;

import static io.restassured.RestAssured.given;
import static multimodal.gateway.rest.TestKeys.asDefault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.grpc.FakeBackendsTestResource;
import multimodal.gateway.grpc.FakeRetrievalService;
import multimodal.v1.SearchRequest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Search and media status against a fake RetrievalService reached over real gRPC. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class) // same resources as MediaIngestTest: one app boot
class SearchAndStatusTest {
  /** Health and metrics answer on the management interface, not on the public port. */
  @ConfigProperty(name = "quarkus.management.test-port")
  int managementPort;

  @FakeBackendsTestResource.InjectFake FakeRetrievalService retrieval;

  @Test
  void searchForwardsTheQueryAndReturnsHits() {
    asDefault()
        .queryParam("q", "  a brown horse ")
        .queryParam("k", 2)
        .queryParam("minScore", 0.2)
        .when()
        .get("/v1/search")
        .then()
        .statusCode(200)
        .contentType(ContentType.JSON)
        .body("query", equalTo("a brown horse"))
        .body("model.name", equalTo("clip-fixture"))
        .body("model.version", equalTo("fixture-colour-1"))
        .body("hits[0].mediaId", equalTo(FakeRetrievalService.KNOWN_MEDIA))
        .body("hits[0].score", equalTo(0.875f))
        .body("hits[0].contentType", equalTo("image/png"))
        .body("hits[0].metadata.echo", equalTo("a brown horse"))
        .body("hits[0].ingestedAt", equalTo("2026-01-01T00:00:00Z"))
        .body("hits[0].caption", equalTo("a caption of horse-1"))
        .body("hits[0].sources.clip", equalTo(0.5f))
        .body("hits[0].tags[0]", equalTo("animal"))
        .body("nextPageToken", equalTo("page-2"));

    SearchRequest sent = retrieval.lastSearch();
    assertThat(sent.getText()).isEqualTo("a brown horse");
    assertThat(sent.getK()).isEqualTo(2);
    assertThat(sent.getMinScore()).isEqualTo(0.2f);
    assertThat(sent.getTenant()).isEqualTo("default");
  }

  @Test
  void searchDefaultsToTenResultsAndNoThreshold() {
    asDefault().queryParam("q", "horse").when().get("/v1/search").then().statusCode(200);

    assertThat(retrieval.lastSearch().getK()).isEqualTo(10);
    assertThat(retrieval.lastSearch().getMinScore()).isEqualTo(Float.NEGATIVE_INFINITY);
  }

  @Test
  void blankQueryIsA400Problem() {
    asDefault()
        .queryParam("q", "   ")
        .when()
        .get("/v1/search")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("'q'"));
  }

  @Test
  void kOutsideOneToThousandIsA400Problem() {
    for (String k : new String[] {"0", "1001", "many"}) {
      asDefault()
          .queryParam("q", "horse")
          .queryParam("k", k)
          .when()
          .get("/v1/search")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("detail", containsString("'k'"));
    }
  }

  @Test
  void retrievalInvalidArgumentBecomes400Problem() {
    asDefault()
        .queryParam("q", "bad")
        .when()
        .get("/v1/search")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("urn:multimodal:problem:upstream-invalid-argument"))
        .body("detail", equalTo("query has no searchable tokens"))
        .body("instance", equalTo("/v1/search"));
  }

  @Test
  void retrievalResourceExhaustedBecomes429WithRetryAfterFromRetryInfo() {
    asDefault()
        .queryParam("q", "busy")
        .when()
        .get("/v1/search")
        .then()
        .statusCode(429)
        .contentType("application/problem+json")
        .header("Retry-After", "7")
        .body("title", equalTo("Too Many Requests"));
  }

  @Test
  void mediaStatusShowsWhichModelsEmbeddedIt() {
    asDefault()
        .when()
        .get("/v1/media/{id}", FakeRetrievalService.KNOWN_MEDIA)
        .then()
        .statusCode(200)
        .contentType(ContentType.JSON)
        .body("mediaId", equalTo(FakeRetrievalService.KNOWN_MEDIA))
        .body("tenant", equalTo("default"))
        .body("contentType", equalTo("image/png"))
        .body("metadata.source", equalTo("test"))
        .body("embeddedBy", hasSize(1))
        .body("embeddedBy[0].model", equalTo("clip-fixture"))
        .body("embeddedBy[0].version", equalTo("fixture-colour-1"))
        .body("embeddedBy[0].dimension", equalTo(8))
        .body("state", equalTo("indexed"))
        .body("captioned", equalTo(true))
        .body("caption", equalTo("a horse in a field"))
        .body("ingestedAt", equalTo("2026-01-01T00:00:00Z"));
  }

  @Test
  void unknownMediaIsA404Problem() {
    asDefault()
        .when()
        .get("/v1/media/{id}", "never-uploaded")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("status", equalTo(404))
        .body("title", equalTo("Not Found"))
        .body("detail", equalTo("no media 'never-uploaded' in tenant 'default'"));
  }

  @Test
  void openApiDocumentDescribesTheEndpoints() {
    given()
        .accept("application/json")
        .when()
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("paths.'/v1/media'.post.responses.'202'.description", equalTo("On the ingest topic"))
        .body(
            "paths.'/v1/search'.get.summary",
            equalTo("Search images by text or by an indexed item"))
        .body("paths.'/v1/search'.post.summary", equalTo("Search images by an uploaded image"))
        .body("paths.'/v1/media/{mediaId}'.delete.summary", equalTo("Delete one item everywhere"))
        .body("paths.'/v1/media/batch'.post.summary", org.hamcrest.Matchers.notNullValue())
        .body(
            "paths.'/v1/classify'.post.summary",
            equalTo("Zero-shot classify one image over your labels"))
        .body("paths.'/v1/rank-texts'.post.summary", org.hamcrest.Matchers.notNullValue())
        .body("paths.'/v1/caption'.post.summary", equalTo("Caption one image"))
        .body("paths.'/v1/ocr'.post.summary", org.hamcrest.Matchers.notNullValue())
        .body("paths.'/v1/analyze'.post.summary", org.hamcrest.Matchers.notNullValue())
        .body(
            "paths.'/v1/search'.get.parameters.name",
            org.hamcrest.Matchers.hasItems("object", "safe", "unsafeThreshold", "excludeUnscored"))
        .body(
            "paths.'/v1/ask'.post.summary",
            equalTo("Ask a question about one image or several (Server-Sent Events)"))
        .body("components.securitySchemes.apiKey.type", equalTo("apiKey"))
        .body("components.securitySchemes.apiKey.name", equalTo("X-API-Key"))
        .body(
            "paths",
            org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("/internal/blobs/{sha256}")));
    given().when().get("/q/swagger-ui/").then().statusCode(200);
  }

  @Test
  void healthAndMetricsAreServed() {
    given()
        .port(managementPort)
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"));
    given().port(managementPort).when().get("/q/metrics").then().statusCode(200);
    // ... and no longer on the public port.
    given().when().get("/q/health/ready").then().statusCode(404);
    given().when().get("/q/metrics").then().statusCode(404);
  }
}
