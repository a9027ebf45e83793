package multimodal.gateway.rest;

import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Quarkus refuses a body declared larger than {@code quarkus.http.limits.max-body-size} with an
 * empty 413 before any REST resource runs. This route runs first and gives that 413 the same
 * problem+json body as every other error. (A chunked body without Content-Length that grows past
 * the limit is still cut off by Quarkus itself.)
 */
@ApplicationScoped
public class BodyLimitProblemHandler {
  private final long limit;

  BodyLimitProblemHandler(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
    this.limit = limit.asLongValue();
  }

  void register(@Observes Router router) {
    router
        .route()
        .order(Integer.MIN_VALUE)
        .handler(
            context -> {
              if (declaredLength(context.request().getHeader(HttpHeaders.CONTENT_LENGTH))
                  <= limit) {
                context.next();
                return;
              }
              Log.debugf(
                  "refused %s: declared body over %d bytes", context.request().path(), limit);
              UnreadBodyProblem.send(
                  context,
                  413,
                  "body-too-large",
                  "Request Entity Too Large",
                  "the request body is larger than the gateway accepts (" + limit + " bytes)");
            });
  }

  private static long declaredLength(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
