package multimodal.encoder.grpc;

import ai.onnxruntime.OrtException;
import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.logging.Log;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import multimodal.encoder.InferenceFailedException;
import multimodal.encoder.InvalidInputException;
import multimodal.encoder.ModelNotReadyException;
import multimodal.encoder.UnknownModelException;
import multimodal.encoder.batching.DeadlineExpiredException;
import multimodal.encoder.batching.OverloadedException;
import multimodal.media.fetch.FetchFailedException;

/**
 * The one place where encoder exceptions become gRPC statuses: each with a
 * {@code google.rpc.ErrorInfo} (domain {@value #DOMAIN}) and the detail the case calls for.
 */
public final class GrpcErrors {
  public static final String DOMAIN = "encoder.multimodal";

  private GrpcErrors() {}

  public static StatusRuntimeException toStatusException(Throwable failure) {
    Throwable error = unwrap(failure);
    if (error instanceof StatusRuntimeException status) {
      return status;
    }
    if (error instanceof StatusException status) {
      return new StatusRuntimeException(status.getStatus(), status.getTrailers());
    }
    if (error instanceof InvalidInputException invalid) {
      Log.debugf("invalid argument: %s", invalid.getMessage());
      BadRequest badRequest =
          BadRequest.newBuilder()
              .addFieldViolations(
                  BadRequest.FieldViolation.newBuilder()
                      .setField(invalid.field())
                      .setDescription(invalid.description()))
              .build();
      return status(Code.INVALID_ARGUMENT, invalid.getMessage(), "INVALID_INPUT", Any.pack(badRequest));
    }
    if (error instanceof UnknownModelException unknown) {
      ResourceInfo resource =
          ResourceInfo.newBuilder()
              .setResourceType("model")
              .setResourceName(unknown.model())
              .setDescription(unknown.getMessage())
              .build();
      return status(Code.NOT_FOUND, unknown.getMessage(), "MODEL_NOT_FOUND", Any.pack(resource));
    }
    if (error instanceof ModelNotReadyException notReady) {
      return status(Code.UNAVAILABLE, notReady.getMessage(), "MODEL_NOT_LOADED", retryAfter(2));
    }
    if (error instanceof OverloadedException overloaded) {
      return status(Code.RESOURCE_EXHAUSTED, overloaded.getMessage(), "OVERLOADED", retryAfter(1));
    }
    if (error instanceof DeadlineExpiredException expired) {
      return status(Code.DEADLINE_EXCEEDED, expired.getMessage(), "DEADLINE_EXCEEDED", null);
    }
    if (error instanceof FetchFailedException fetch) {
      return status(Code.UNAVAILABLE, fetch.getMessage(), "FETCH_FAILED", retryAfter(1));
    }
    // OrtException or a bug: log it here, once, and never send the stack trace.
    String reason =
        causedByOrt(error) || error instanceof InferenceFailedException ? "INFERENCE_FAILED" : "INTERNAL";
    Log.errorf(error, "request failed (%s)", reason);
    return status(Code.INTERNAL, "internal error while encoding (" + reason + ")", reason, null);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable error = failure;
    while ((error instanceof CompletionException || error instanceof ExecutionException)
        && error.getCause() != null) {
      error = error.getCause();
    }
    return error;
  }

  private static boolean causedByOrt(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof OrtException) {
        return true;
      }
    }
    return false;
  }

  private static Any retryAfter(long seconds) {
    return Any.pack(
        RetryInfo.newBuilder().setRetryDelay(Duration.newBuilder().setSeconds(seconds)).build());
  }

  private static StatusRuntimeException status(Code code, String message, String reason, Any detail) {
    Status.Builder status =
        Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(message)
            .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN).build()));
    if (detail != null) {
      status.addDetails(detail);
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }
}
