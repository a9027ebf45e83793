package multimodal.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import multimodal.gateway.RequestRefused;
import multimodal.gateway.messaging.PublishFailedException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where errors become RFC 9457 problem responses: the gateway's own {@link
 * ApiProblem}s, the domain's {@link RequestRefused} reasons, gRPC statuses from backend services,
 * Kafka publish failures, the REST layer's own HTTP errors (404, 405, 415, malformed JSON) and
 * anything unexpected (500, no stack trace in the body).
 */
public class ProblemMapper {
  static final long DEFAULT_RETRY_AFTER_SECONDS = 1;

  @ServerExceptionMapper
  public Response apiProblem(ApiProblem problem, UriInfo uri) {
    return respond(
        new Problem(
            problem.type(), problem.title(), problem.status(), problem.getMessage(), path(uri)));
  }

  @ServerExceptionMapper
  public Response refused(RequestRefused refused, UriInfo uri) {
    return apiProblem(ApiProblem.of(refused), uri);
  }

  @ServerExceptionMapper
  public Response grpcStatus(StatusRuntimeException error, UriInfo uri) {
    return fromGrpc(error.getStatus(), error, uri);
  }

  @ServerExceptionMapper
  public Response grpcStatus(StatusException error, UriInfo uri) {
    return fromGrpc(error.getStatus(), error, uri);
  }

  @ServerExceptionMapper
  public Response publishFailed(PublishFailedException error, UriInfo uri) {
    Problem problem =
        new Problem(
            Problem.TYPE_PREFIX + "ingest-unavailable",
            "Ingest unavailable",
            503,
            "the event broker did not acknowledge the ingest event; retry later (same media id, no"
                + " duplicate)",
            path(uri));
    return Response.fromResponse(respond(problem)).header("Retry-After", 5).build();
  }

  @ServerExceptionMapper
  public Response http(WebApplicationException error, UriInfo uri) {
    int status = error.getResponse().getStatus();
    Response.StatusType type = Response.Status.fromStatusCode(status);
    String title = type == null ? "HTTP " + status : type.getReasonPhrase();
    return respond(new Problem(Problem.BLANK, title, status, error.getMessage(), path(uri)));
  }

  @ServerExceptionMapper
  public Response malformedJson(JsonProcessingException error, UriInfo uri) {
    return respond(badJson(error.getOriginalMessage(), uri));
  }

  @ServerExceptionMapper
  public Response mismatchedJson(MismatchedInputException error, UriInfo uri) {
    return respond(badJson(error.getOriginalMessage(), uri));
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable error, UriInfo uri) {
    Log.errorf(error, "unexpected error on %s", path(uri));
    return respond(
        new Problem(
            Problem.BLANK,
            "Internal Server Error",
            500,
            "an unexpected error occurred",
            path(uri)));
  }

  private static Problem badJson(String message, UriInfo uri) {
    return new Problem(
        Problem.TYPE_PREFIX + "malformed-json", "Malformed JSON", 400, message, path(uri));
  }

  private static Response fromGrpc(Status status, Throwable error, UriInfo uri) {
    Status.Code code = status.getCode();
    int http = GrpcHttpStatus.of(code);
    String slug = "upstream-" + code.name().toLowerCase().replace('_', '-');
    String detail =
        switch (http) {
          case 503 -> "a backend service is unavailable: " + status.getDescription();
          case 504 -> "a backend service did not answer in time: " + status.getDescription();
          case 502, 501 -> "a backend service failed (" + code + ")";
          default -> status.getDescription() != null ? status.getDescription() : code.toString();
        };
    if (http >= 500) {
      Log.warnf("backend call for %s failed: %s %s", path(uri), code, status.getDescription());
    }
    Response response =
        respond(new Problem(Problem.TYPE_PREFIX + slug, title(http), http, detail, path(uri)));
    if (http == 429 || http == 503) {
      return Response.fromResponse(response)
          .header("Retry-After", retryAfterSeconds(error))
          .build();
    }
    return response;
  }

  /** The backend's google.rpc.RetryInfo, rounded up to whole seconds, else a short default. */
  static long retryAfterSeconds(Throwable error) {
    com.google.rpc.Status details = StatusProto.fromThrowable(error);
    if (details != null) {
      for (Any detail : details.getDetailsList()) {
        if (detail.is(RetryInfo.class)) {
          try {
            com.google.protobuf.Duration delay = detail.unpack(RetryInfo.class).getRetryDelay();
            return Math.max(1, delay.getSeconds() + (delay.getNanos() > 0 ? 1 : 0));
          } catch (InvalidProtocolBufferException e) {
            Log.debugf("unreadable RetryInfo: %s", e.getMessage());
          }
        }
      }
    }
    return DEFAULT_RETRY_AFTER_SECONDS;
  }

  private static String title(int http) {
    Response.StatusType type = Response.Status.fromStatusCode(http);
    return type != null
        ? type.getReasonPhrase()
        : switch (http) {
          case 429 -> "Too Many Requests";
          case 501 -> "Not Implemented";
          case 502 -> "Bad Gateway";
          case 504 -> "Gateway Timeout";
          default -> "HTTP " + http;
        };
  }

  private static String path(UriInfo uri) {
    return uri == null ? null : uri.getRequestUri().getRawPath();
  }

  private static Response respond(Problem problem) {
    return Response.status(problem.status()).type(Problem.JSON).entity(problem).build();
  }
}
