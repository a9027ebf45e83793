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
 * Ends a REST request whose body is too slow ({@link BodyPace}): not fully arrived within {@code
 * gateway.upload.body-timeout}, or, on {@code POST /v1/media}, which may carry a large video,
 * falling behind {@code gateway.upload.min-body-rate} after that: 408 problem, connection closed.
 * Vert.x's idle timeout only fires when nothing arrives at all, so without this a client sending a
 * few bytes a second (slow loris) held its connection and buffers for as long as it liked. gRPC
 * calls are left alone: their deadline is the caller's, and a 408 body is not a gRPC answer.
 */
@ApplicationScoped
public class RequestBodyTimeout {
  /** How often a body's pace is checked. */
  private static final long CHECK_MILLIS = 500;

  private final BodyPace pace;

  RequestBodyTimeout(GatewayConfig config) {
    this.pace =
        new BodyPace(
            config.upload().bodyTimeout().toMillis(),
            Math.max(1, config.upload().minBodyRate().asLongValue()));
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
              boolean upload = MediaUploadRoute.matches(request);
              long started = System.nanoTime();
              long timer =
                  vertx.setPeriodic(
                      Math.min(CHECK_MILLIS, Math.max(1, pace.graceMillis())),
                      id -> {
                        if (request.isEnded() || context.response().ended()) {
                          vertx.cancelTimer(id);
                          return;
                        }
                        long elapsed = (System.nanoTime() - started) / 1_000_000;
                        if (!pace.tooSlow(elapsed, request.bytesRead(), upload)) {
                          return;
                        }
                        vertx.cancelTimer(id);
                        Log.debugf(
                            "408 on %s: %d body bytes after %d ms",
                            request.path(), request.bytesRead(), elapsed);
                        UnreadBodyProblem.send(
                            context, 408, "request-timeout", "Request Timeout", detail(upload));
                      });
              context.addEndHandler(done -> vertx.cancelTimer(timer));
              context.next();
            });
  }

  private String detail(boolean upload) {
    String within = "the request body did not arrive within " + pace.graceMillis() / 1000 + " s";
    return upload
        ? within
            + " and at "
            + pace.minBytesPerSecond()
            + " bytes/s or faster after that (gateway.upload.min-body-rate)"
        : within;
  }
}
