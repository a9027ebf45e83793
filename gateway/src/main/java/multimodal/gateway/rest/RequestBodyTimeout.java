package multimodal.gateway.rest;

import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import multimodal.gateway.config.GatewayConfig;

/**
 * Ends a REST request whose body has not fully arrived within {@code gateway.upload.body-timeout}
 * (on {@code POST /v1/media}, which may carry a large video, its declared length at {@code
 * gateway.upload.min-body-rate} when that is longer): 408 problem, connection closed. Vert.x's idle
 * timeout only fires when nothing arrives at all, so without this a client sending a few bytes a
 * second (slow loris) held its connection and buffers for as long as it liked. gRPC calls are left
 * alone: their deadline is the caller's, and a 408 body is not a gRPC answer.
 */
@ApplicationScoped
public class RequestBodyTimeout {
  private final long requestMillis;
  private final long minBytesPerSecond;

  RequestBodyTimeout(GatewayConfig config) {
    this.requestMillis = config.upload().bodyTimeout().toMillis();
    this.minBytesPerSecond = Math.max(1, config.upload().minBodyRate().asLongValue());
  }

  /**
   * The time a body may take: {@code body-timeout}, or on the upload route its declared length at
   * {@code min-body-rate} when that is longer (a large video). A body without a declared length
   * gets {@code body-timeout}.
   */
  long timeoutMillis(HttpServerRequest request) {
    if (!MediaUploadRoute.matches(request)) {
      return requestMillis;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      long declared = length == null ? 0 : Long.parseLong(length.strip());
      return Math.max(requestMillis, declared / minBytesPerSecond * 1000);
    } catch (NumberFormatException e) {
      return requestMillis;
    }
  }

  void register(@Observes Router router) {
    router
        .route()
        .order(Integer.MIN_VALUE + 1)
        .handler(
            context -> {
              HttpServerRequest request = context.request();
              String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
              if (request.isEnded() || (type != null && type.startsWith("application/grpc"))) {
                context.next();
                return;
              }
              Vertx vertx = context.vertx();
              // The upload route may carry a large video: it gets time for its declared length.
              long timeoutMillis = timeoutMillis(request);
              long timer =
                  vertx.setTimer(
                      timeoutMillis,
                      id -> {
                        if (request.isEnded() || context.response().ended()) {
                          return;
                        }
                        Log.debugf(
                            "408 on %s: the body did not arrive within %d ms",
                            request.path(), timeoutMillis);
                        UnreadBodyProblem.send(
                            context,
                            408,
                            "request-timeout",
                            "Request Timeout",
                            "the request body did not arrive within "
                                + timeoutMillis / 1000
                                + " s");
                      });
              context.addEndHandler(done -> vertx.cancelTimer(timer));
              context.next();
            });
  }
}
