package multimodal.gateway.grpc;

import static multimodal.v1.rpc.RpcErrors.badRequest;
import static multimodal.v1.rpc.RpcErrors.resource;
import static multimodal.v1.rpc.RpcErrors.retryAfter;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;
import multimodal.gateway.RequestRefused;
import multimodal.gateway.messaging.PublishFailedException;
import multimodal.v1.rpc.RpcErrors;

/**
 * The one place where the gateway's own errors become gRPC statuses for the public gRPC API, each
 * with a {@code google.rpc.ErrorInfo} (domain {@value #DOMAIN}, the reason of the refusal).
 */
public final class GrpcErrors {
  public static final String DOMAIN = "gateway.multimodal";

  private GrpcErrors() {}

  /**
   * A call whose request is checked first: a refusal thrown while building it becomes a status like
   * any failure of the call itself (thrown out of a service method it would be UNKNOWN).
   */
  public static <T> Uni<T> checked(Supplier<Uni<? extends T>> call) {
    return Uni.createFrom().deferred(call).onFailure().transform(GrpcErrors::toStatus);
  }

  public static Throwable toStatus(Throwable error) {
    if (error instanceof StatusRuntimeException) {
      return error; // from a backend: passes through unchanged
    }
    if (error instanceof RequestRefused refused) {
      String message = refused.getMessage();
      String reason = refused.reason().name();
      return switch (refused.reason()) {
        case MEDIA_NOT_FOUND ->
            status(Code.NOT_FOUND, message, reason, resource("media", "", message));
        case MEDIA_ID_TAKEN -> status(Code.ALREADY_EXISTS, message, reason);
        // the caller must change the request
        case INVALID_REQUEST, MEDIA_TOO_LARGE, UNSUPPORTED_IMAGE ->
            status(
                Code.INVALID_ARGUMENT,
                message,
                reason,
                badRequest(refused.field() == null ? "" : refused.field(), message));
      };
    }
    if (error instanceof PublishFailedException) {
      return unavailable(
          "the event broker did not acknowledge the event; retry (same media id, no duplicate)");
    }
    Log.errorf(error, "unexpected error in the public gRPC API");
    return status(Code.INTERNAL, "internal error", "INTERNAL");
  }

  private static StatusRuntimeException unavailable(String message) {
    return status(Code.UNAVAILABLE, message, "PUBLISH_FAILED", retryAfter(5));
  }

  private static StatusRuntimeException status(
      Code code, String message, String reason, Any... details) {
    return RpcErrors.status(code, message, DOMAIN, reason, details);
  }
}
