package multimodal.retrieval.grpc;

import static multimodal.v1.rpc.RpcErrors.badRequest;
import static multimodal.v1.rpc.RpcErrors.resource;
import static multimodal.v1.rpc.RpcErrors.retryAfter;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.quarkus.logging.Log;
import multimodal.retrieval.EncoderUnavailableException;
import multimodal.retrieval.InvalidRequestException;
import multimodal.retrieval.MediaNotFoundException;
import multimodal.retrieval.ModelNotFoundException;
import multimodal.v1.rpc.RpcErrors;

/** The one place where domain exceptions become gRPC statuses. */
public final class GrpcErrors {
  public static final String DOMAIN = "retrieval.multimodal";

  /** Seconds a client should wait before retrying when a dependency is down. */
  static final long RETRY_SECONDS = 1;

  private GrpcErrors() {}

  public static StatusRuntimeException toStatus(Throwable error) {
    if (error instanceof StatusRuntimeException status) {
      return status;
    }
    if (error instanceof InvalidRequestException invalid) {
      return status(
          Code.INVALID_ARGUMENT,
          invalid.getMessage(),
          "INVALID_QUERY",
          badRequest(invalid.field(), invalid.getMessage()));
    }
    if (error instanceof MediaNotFoundException notFound) {
      return status(
          Code.NOT_FOUND,
          notFound.getMessage(),
          "MEDIA_NOT_FOUND",
          resource("media", notFound.mediaId(), ""));
    }
    if (error instanceof ModelNotFoundException notFound) {
      return status(
          Code.NOT_FOUND,
          notFound.getMessage(),
          "MODEL_NOT_FOUND",
          resource("model", notFound.model(), ""));
    }
    if (error instanceof EncoderUnavailableException unavailable) {
      Log.warnf("encoder unavailable: %s", unavailable.getMessage());
      return status(
          Code.UNAVAILABLE,
          unavailable.getMessage(),
          "ENCODER_UNAVAILABLE",
          retryAfter(RETRY_SECONDS));
    }
    Log.errorf(error, "internal error");
    // No stack trace or exception text to the client.
    return status(Code.INTERNAL, "internal error", "INTERNAL");
  }

  private static StatusRuntimeException status(
      Code code, String message, String reason, Any... details) {
    return RpcErrors.status(code, message, DOMAIN, reason, details);
  }
}
