package multimodal.gateway.rest;

import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import multimodal.gateway.config.GatewayConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Quarkus refuses a body declared larger than {@code quarkus.http.limits.max-body-size} with an
 * empty 413 before any REST resource runs. This route runs first and gives that 413 the same
 * problem+json body as every other error, and holds every route but {@link MediaUploadRoute} to
 * {@code gateway.upload.max-request-bytes}: max-body-size admits a large video on the upload route
 * (streamed to disk), while JSON and image bodies elsewhere are read into memory. A body there
 * without a declared length (chunked) is refused with 411 unless it is multipart (whose file parts
 * go to disk wherever they are posted, and whose resources check the file's size), since only its
 * length can be checked before it is read. (A chunked upload that grows past max-body-size is still
 * cut off by Quarkus itself.) gRPC calls are left alone: their message limit is the gRPC server's.
 */
@ApplicationScoped
public class BodyLimitProblemHandler {
  private final long uploadLimit;
  private final long requestLimit;

  BodyLimitProblemHandler(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit,
      GatewayConfig config) {
    this.uploadLimit = limit.asLongValue();
    this.requestLimit = Math.min(uploadLimit, config.upload().maxRequestBytes().asLongValue());
  }

  void register(@Observes Router router) {
    router
        .route()
        .order(Integer.MIN_VALUE)
        .handler(
            context -> {
              HttpServerRequest request = context.request();
              String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
              if (type != null && type.startsWith("application/grpc")) {
                context.next();
                return;
              }
              boolean upload = MediaUploadRoute.matches(request);
              long limit = upload ? uploadLimit : requestLimit;
              String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
              if (!upload && declared == null && isChunked(request) && !isMultipart(type)) {
                Log.debugf("refused %s: a chunked body", request.path());
                UnreadBodyProblem.send(
                    context,
                    411,
                    "length-required",
                    "Length Required",
                    "send the body with a Content-Length (at most "
                        + limit
                        + " bytes); only POST "
                        + MediaUploadRoute.PATH
                        + " and multipart bodies may be chunked");
                return;
              }
              if (declaredLength(declared) <= limit) {
                context.next();
                return;
              }
              Log.debugf("refused %s: declared body over %d bytes", request.path(), limit);
              UnreadBodyProblem.send(
                  context,
                  413,
                  "body-too-large",
                  "Request Entity Too Large",
                  "the request body is larger than the gateway accepts ("
                      + limit
                      + " bytes"
                      + (upload
                          ? ""
                          : "; only POST " + MediaUploadRoute.PATH + " takes audio and video")
                      + ")");
            });
  }

  /** Multipart file parts go to disk wherever they are posted; the resources check their size. */
  private static boolean isMultipart(String type) {
    return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/");
  }

  private static boolean isChunked(HttpServerRequest request) {
    String encoding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
    return encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("chunked");
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
