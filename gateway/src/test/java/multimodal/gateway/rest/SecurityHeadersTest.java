package multimodal.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.grpc.FakeBackendsTestResource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The web UI and the API answer with a Content-Security-Policy that lets only the UI's own files
 * run (the browser test proves the UI still works under it). The rate-limit counter's missing
 * tenant tag is checked in {@link TenantIsolationTest}, which owns the rate-limited test key.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class SecurityHeadersTest {
  @ParameterizedTest
  @ValueSource(strings = {"/", "/app.js", "/v1/search?q=red"})
  void everyAnswerCarriesTheSecurityHeaders(String path) {
    given()
        .get(path)
        .then()
        .header("Content-Security-Policy", containsString("script-src 'self'"))
        .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
        .header("Content-Security-Policy", not(containsString("unsafe-inline")))
        .header("X-Content-Type-Options", equalTo("nosniff"))
        .header("Referrer-Policy", equalTo("no-referrer"))
        .header("X-Frame-Options", equalTo("DENY"));
  }
}
