package multimodal.generator.grpc;

import static multimodal.v1.rpc.RpcErrors.badRequest;
import static multimodal.v1.rpc.RpcErrors.preconditionFailure;
import static multimodal.v1.rpc.RpcErrors.resource;
import static multimodal.v1.rpc.RpcErrors.retryAfter;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.quarkus.logging.Log;
import multimodal.generator.BusyException;
import multimodal.generator.InvalidInputException;
import multimodal.generator.ModelNotReadyException;
import multimodal.generator.UnknownModelException;
import multimodal.generator.diffusion.DiffusionOffException;
import multimodal.generator.inference.generation.GenerationStoppedException;
import multimodal.generator.vision.VisionOffException;
import multimodal.media.fetch.FetchFailedException;
import multimodal.v1.rpc.RpcErrors;

/**
 * The one place where generator exceptions become gRPC statuses, each with a {@code
 * google.rpc.ErrorInfo} (domain {@value #DOMAIN}) and the detail its case calls for.
 */
public final class GrpcErrors {
  public static final String DOMAIN = "generator.multimodal";

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
    if (error instanceof BusyException busy) {
      return status(Code.RESOURCE_EXHAUSTED, busy.getMessage(), "QUEUE_FULL", retryAfter(1));
    }
    if (error instanceof VisionOffException off) {
      return status(
          Code.FAILED_PRECONDITION,
          off.getMessage(),
          "VISION_OFF",
          preconditionFailure("VISION_OFF", "generator.vision", off.getMessage()));
    }
    if (error instanceof DiffusionOffException off) {
      return status(
          Code.FAILED_PRECONDITION,
          off.getMessage(),
          "DIFFUSION_OFF",
          preconditionFailure("DIFFUSION_OFF", "generator.diffusion.dir", off.getMessage()));
    }
    if (error instanceof ModelNotReadyException notReady) {
      return status(Code.UNAVAILABLE, notReady.getMessage(), "MODEL_NOT_LOADED", retryAfter(2));
    }
    if (error instanceof FetchFailedException fetch) {
      return status(Code.UNAVAILABLE, fetch.getMessage(), "FETCH_FAILED", retryAfter(1));
    }
    if (error instanceof GenerationStoppedException stopped) {
      return stopped.reason() == GenerationStoppedException.Reason.DEADLINE
          ? status(Code.DEADLINE_EXCEEDED, stopped.getMessage(), "DEADLINE_EXCEEDED")
          : status(Code.CANCELLED, stopped.getMessage(), "CANCELLED");
    }
    // OrtException, Tesseract failure or a bug: log once here; never send the stack trace.
    Log.errorf(error, "request failed");
    return status(Code.INTERNAL, "internal error while generating", "INTERNAL");
  }

  private static StatusRuntimeException status(
      Code code, String message, String reason, Any... details) {
    return RpcErrors.status(code, message, DOMAIN, reason, details);
  }
}
