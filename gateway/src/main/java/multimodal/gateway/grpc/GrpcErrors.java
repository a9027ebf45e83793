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
import multimodal.gateway.messaging.PublishFailedException;
import multimodal.gateway.rest.ApiProblem;

/** The one place where the gateway's own errors become gRPC statuses for the public gRPC API. */
public final class GrpcErrors {
  private GrpcErrors() {}

  public static Throwable toStatus(Throwable error) {
    if (error instanceof StatusRuntimeException) {
      return error; // from a backend: passes through unchanged
    }
    if (error instanceof ApiProblem problem) {
      return switch (problem.status()) {
        case 404 ->
            status(Code.NOT_FOUND, problem.getMessage(), Any.pack(ResourceInfo.newBuilder().setResourceType("media").setDescription(problem.getMessage()).build()));
        case 409 -> status(Code.ALREADY_EXISTS, problem.getMessage());
        case 401 -> status(Code.UNAUTHENTICATED, problem.getMessage());
        case 503 -> unavailable(problem.getMessage());
        default ->
            status(
                Code.INVALID_ARGUMENT,
                problem.getMessage(),
                Any.pack(
                    BadRequest.newBuilder()
                        .addFieldViolations(BadRequest.FieldViolation.newBuilder().setDescription(problem.getMessage()))
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
