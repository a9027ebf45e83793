package multimodal.gateway.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;
import multimodal.gateway.RequestRefused;
import multimodal.gateway.messaging.PublishFailedException;

/** The one place where the gateway's own errors become gRPC statuses for the public gRPC API. */
public final class GrpcErrors {
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
      return switch (refused.reason()) {
        case MEDIA_NOT_FOUND ->
            status(Code.NOT_FOUND, message, Any.pack(ResourceInfo.newBuilder().setResourceType("media").setDescription(message).build()));
        case MEDIA_ID_TAKEN -> status(Code.ALREADY_EXISTS, message);
        // the caller must change the request
        case INVALID_REQUEST, MEDIA_TOO_LARGE, UNSUPPORTED_IMAGE ->
            status(
                Code.INVALID_ARGUMENT,
                message,
                Any.pack(
                    BadRequest.newBuilder()
                        .addFieldViolations(
                            BadRequest.FieldViolation.newBuilder()
                                .setField(refused.field() == null ? "" : refused.field())
                                .setDescription(message))
                        .build()));
      };
    }
    if (error instanceof PublishFailedException) {
      return unavailable("the event broker did not acknowledge the event; retry (same media id, no duplicate)");
    }
    Log.errorf(error, "unexpected error in the public gRPC API");
    return status(Code.INTERNAL, "internal error");
  }

  private static StatusRuntimeException unavailable(String message) {
    return status(Code.UNAVAILABLE, message, Any.pack(RetryInfo.newBuilder().setRetryDelay(Duration.newBuilder().setSeconds(5)).build()));
  }

  private static StatusRuntimeException status(Code code, String message, Any... details) {
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message);
    for (Any detail : details) {
      status.addDetails(detail);
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }
}
