package multimodal.generator.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.logging.Log;
import java.util.concurrent.CompletionException;
import multimodal.generator.BusyException;
import multimodal.generator.InvalidInputException;
import multimodal.generator.ModelNotReadyException;
import multimodal.generator.UnknownModelException;
import multimodal.generator.inference.generation.GenerationStoppedException;
import multimodal.generator.vision.VisionOffException;
import multimodal.media.fetch.FetchFailedException;

/**
 * The one place where generator exceptions become gRPC statuses, each with a
 * {@code google.rpc.ErrorInfo} (domain {@value #DOMAIN}) and the detail its case calls for.
 */
public final class GrpcErrors {
  public static final String DOMAIN = "generator.multimodal";

  private GrpcErrors() {}

  public static StatusRuntimeException toStatusException(Throwable failure) {
    Throwable error = failure;
    while (error instanceof CompletionException && error.getCause() != null) {
      error = error.getCause();
    }
    if (error instanceof StatusRuntimeException status) {
      return status;
    }
    if (error instanceof StatusException status) {
      return new StatusRuntimeException(status.getStatus(), status.getTrailers());
    }
    if (error instanceof InvalidInputException invalid) {
      Log.debugf("invalid argument: %s", invalid.getMessage());
      BadRequest detail = BadRequest.newBuilder()
          .addFieldViolations(BadRequest.FieldViolation.newBuilder()
              .setField(invalid.field()).setDescription(invalid.description()))
          .build();
      return status(Code.INVALID_ARGUMENT, invalid.getMessage(), "INVALID_INPUT", Any.pack(detail));
    }
    if (error instanceof UnknownModelException unknown) {
      ResourceInfo detail = ResourceInfo.newBuilder().setResourceType("model")
          .setResourceName(unknown.model()).setDescription(unknown.getMessage()).build();
      return status(Code.NOT_FOUND, unknown.getMessage(), "MODEL_NOT_FOUND", Any.pack(detail));
    }
    if (error instanceof BusyException busy) {
      return status(Code.RESOURCE_EXHAUSTED, busy.getMessage(), "QUEUE_FULL", retryAfter(1));
    }
    if (error instanceof VisionOffException off) {
      PreconditionFailure detail = PreconditionFailure.newBuilder()
          .addViolations(PreconditionFailure.Violation.newBuilder().setType("VISION_OFF")
              .setSubject("generator.vision").setDescription(off.getMessage()))
          .build();
      return status(Code.FAILED_PRECONDITION, off.getMessage(), "VISION_OFF", Any.pack(detail));
    }
    if (error instanceof ModelNotReadyException notReady) {
      return status(Code.UNAVAILABLE, notReady.getMessage(), "MODEL_NOT_LOADED", retryAfter(2));
    }
    if (error instanceof FetchFailedException fetch) {
      return status(Code.UNAVAILABLE, fetch.getMessage(), "FETCH_FAILED", retryAfter(1));
    }
    if (error instanceof GenerationStoppedException stopped) {
      return stopped.reason() == GenerationStoppedException.Reason.DEADLINE
          ? status(Code.DEADLINE_EXCEEDED, stopped.getMessage(), "DEADLINE_EXCEEDED", null)
          : status(Code.CANCELLED, stopped.getMessage(), "CANCELLED", null);
    }
    // OrtException, Tesseract failure or a bug: log once here; never send the stack trace.
    Log.errorf(error, "request failed");
    return status(Code.INTERNAL, "internal error while generating", "INTERNAL", null);
  }

  private static Any retryAfter(long seconds) {
    return Any.pack(RetryInfo.newBuilder().setRetryDelay(Duration.newBuilder().setSeconds(seconds)).build());
  }

  private static StatusRuntimeException status(Code code, String message, String reason, Any detail) {
    Status.Builder status = Status.newBuilder().setCode(code.getNumber()).setMessage(message)
        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN).build()));
    if (detail != null) {
      status.addDetails(detail);
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }
}
