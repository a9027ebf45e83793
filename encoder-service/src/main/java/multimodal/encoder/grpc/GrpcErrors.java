package multimodal.encoder.grpc;

import static multimodal.v1.rpc.RpcErrors.badRequest;
import static multimodal.v1.rpc.RpcErrors.resource;
import static multimodal.v1.rpc.RpcErrors.retryAfter;

import ai.onnxruntime.OrtException;
import com.google.protobuf.Any;
import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.quarkus.logging.Log;
import multimodal.encoder.InferenceFailedException;
import multimodal.encoder.InvalidInputException;
import multimodal.encoder.ModelNotReadyException;
import multimodal.encoder.UnknownModelException;
import multimodal.encoder.batching.DeadlineExpiredException;
import multimodal.encoder.batching.OverloadedException;
import multimodal.media.fetch.FetchFailedException;
import multimodal.v1.rpc.RpcErrors;

/**
 * The one place where encoder exceptions become gRPC statuses: each with a {@code
 * google.rpc.ErrorInfo} (domain {@value #DOMAIN}) and the detail the case calls for.
 */
public final class GrpcErrors {
  public static final String DOMAIN = "encoder.multimodal";

  private GrpcErrors() {}

  public static StatusRuntimeException toStatusException(Throwable failure) {
    Throwable error = RpcErrors.unwrap(failure);
    StatusRuntimeException passedOn = RpcErrors.asStatus(error).orElse(null);
    if (passedOn != null) {
      return passedOn;
    }
    if (error instanceof InvalidInputException invalid) {
      Log.debugf("invalid argument: %s", invalid.getMessage());
      return status(
          Code.INVALID_ARGUMENT,
          invalid.getMessage(),
          "INVALID_INPUT",
          badRequest(invalid.field(), invalid.description()));
    }
    if (error instanceof UnknownModelException unknown) {
      return status(
          Code.NOT_FOUND,
          unknown.getMessage(),
          "MODEL_NOT_FOUND",
          resource("model", unknown.model(), unknown.getMessage()));
    }
    if (error instanceof ModelNotReadyException notReady) {
      return status(Code.UNAVAILABLE, notReady.getMessage(), "MODEL_NOT_LOADED", retryAfter(2));
    }
    if (error instanceof OverloadedException overloaded) {
      return status(Code.RESOURCE_EXHAUSTED, overloaded.getMessage(), "OVERLOADED", retryAfter(1));
    }
    if (error instanceof DeadlineExpiredException expired) {
      return status(Code.DEADLINE_EXCEEDED, expired.getMessage(), "DEADLINE_EXCEEDED");
    }
    if (error instanceof FetchFailedException fetch) {
      return status(Code.UNAVAILABLE, fetch.getMessage(), "FETCH_FAILED", retryAfter(1));
    }
    // OrtException or a bug: log it here, once, and never send the stack trace.
    String reason =
        causedByOrt(error) || error instanceof InferenceFailedException
            ? "INFERENCE_FAILED"
            : "INTERNAL";
    Log.errorf(error, "request failed (%s)", reason);
    return status(Code.INTERNAL, "internal error while encoding (" + reason + ")", reason);
  }

  private static boolean causedByOrt(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof OrtException) {
        return true;
      }
    }
    return false;
  }

  private static StatusRuntimeException status(
      Code code, String message, String reason, Any... details) {
    return RpcErrors.status(code, message, DOMAIN, reason, details);
  }
}
