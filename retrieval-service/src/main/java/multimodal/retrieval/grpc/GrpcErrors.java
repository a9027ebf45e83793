package multimodal.retrieval.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.logging.Log;
import multimodal.retrieval.EncoderUnavailableException;
import multimodal.retrieval.InvalidRequestException;
import multimodal.retrieval.MediaNotFoundException;
import multimodal.retrieval.ModelNotFoundException;

/** The one place where domain exceptions become gRPC statuses. */
public final class GrpcErrors {
  public static final String DOMAIN = "retrieval.multimodal";
  /** How long a client should wait before retrying when a dependency is down. */
  static final Duration RETRY_DELAY = Duration.newBuilder().setSeconds(1).build();

  private GrpcErrors() {}

  public static StatusRuntimeException toStatus(Throwable error) {
    if (error instanceof StatusRuntimeException status) {
      return status;
    }
    if (error instanceof InvalidRequestException invalid) {
      return status(
          Code.INVALID_ARGUMENT,
          invalid.getMessage(),
          info("INVALID_QUERY"),
          Any.pack(
              BadRequest.newBuilder()
                  .addFieldViolations(
                      BadRequest.FieldViolation.newBuilder()
                          .setField(invalid.field())
                          .setDescription(invalid.getMessage()))
                  .build()));
    }
    if (error instanceof MediaNotFoundException notFound) {
      return status(
          Code.NOT_FOUND,
          notFound.getMessage(),
          info("MEDIA_NOT_FOUND"),
          resource("media", notFound.mediaId()));
    }
    if (error instanceof ModelNotFoundException notFound) {
      return status(
          Code.NOT_FOUND,
          notFound.getMessage(),
          info("MODEL_NOT_FOUND"),
          resource("model", notFound.model()));
    }
    if (error instanceof EncoderUnavailableException unavailable) {
      Log.warnf("encoder unavailable: %s", unavailable.getMessage());
      return status(
          Code.UNAVAILABLE,
          unavailable.getMessage(),
          info("ENCODER_UNAVAILABLE"),
          Any.pack(RetryInfo.newBuilder().setRetryDelay(RETRY_DELAY).build()));
    }
    Log.errorf(error, "internal error");
    // No stack trace or exception text to the client.
    return status(Code.INTERNAL, "internal error", info("INTERNAL"));
  }

  private static StatusRuntimeException status(Code code, String message, Any... details) {
    Status.Builder status = Status.newBuilder().setCode(code.getNumber()).setMessage(message);
    for (Any detail : details) {
      status.addDetails(detail);
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  private static Any info(String reason) {
    return Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN).build());
  }

  private static Any resource(String type, String name) {
    return Any.pack(ResourceInfo.newBuilder().setResourceType(type).setResourceName(name).build());
  }
}
