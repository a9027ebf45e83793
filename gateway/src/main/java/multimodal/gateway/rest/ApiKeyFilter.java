package multimodal.gateway.rest;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import multimodal.gateway.auth.ApiKeyRegistry;
import multimodal.gateway.auth.Caller;
import multimodal.gateway.auth.CurrentCaller;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every {@code /v1} request needs an API key ({@code X-API-Key: <key>} or {@code Authorization:
 * Bearer <key>}); the key decides the tenant. Health, metrics, OpenAPI, the web UI's static files
 * and the internal blob endpoint (own token) are not under /v1 and stay open.
 */
public class ApiKeyFilter {
  public static final String HEADER = "X-API-Key";

  private final ApiKeyRegistry keys;
  private final CurrentCaller current;
  private final MeterRegistry meters;

  ApiKeyFilter(ApiKeyRegistry keys, CurrentCaller current, MeterRegistry meters) {
    this.keys = keys;
    this.current = current;
    this.meters = meters;
  }

  /**
   * Before resource matching, so a request without a key gets 401 whatever else is wrong with it.
   */
  @ServerRequestFilter(preMatching = true)
  public Optional<Response> authenticate(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (!(path.equals("/v1") || path.startsWith("/v1/"))) {
      return Optional.empty();
    }
    Optional<Caller> caller = keys.authenticate(presentedKey(request));
    if (caller.isEmpty()) {
      meters.counter("gateway.auth.rejected").increment();
      Log.debugf("401 on %s: missing or unknown API key", path);
      Problem problem =
          new Problem(
              Problem.TYPE_PREFIX + "unauthenticated",
              "Unauthorized",
              401,
              "a valid API key is required (header X-API-Key or Authorization: Bearer)",
              path);
      return Optional.of(
          Response.status(401)
              .type(Problem.JSON)
              .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
              .entity(problem)
              .build());
    }
    long retryAfter = keys.acquire(caller.get());
    if (retryAfter > 0) {
      // No tenant tag: /q/metrics is readable without a key, and tenant names are customers' names.
      meters.counter("gateway.auth.rate-limited").increment();
      Problem problem =
          new Problem(
              Problem.TYPE_PREFIX + "rate-limited",
              "Too Many Requests",
              429,
              "the request rate of this API key is exceeded; retry after " + retryAfter + " s",
              path);
      return Optional.of(
          Response.status(429)
              .type(Problem.JSON)
              .header("Retry-After", retryAfter)
              .entity(problem)
              .build());
    }
    current.set(caller.get());
    return Optional.empty();
  }

  static String presentedKey(ContainerRequestContext request) {
    String key = request.getHeaderString(HEADER);
    if (key != null && !key.isBlank()) {
      return key;
    }
    String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7);
    }
    return null;
  }
}
