package multimodal.v1.rpc;

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
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The shape of every refusal on the platform's gRPC APIs, part of their contract: a status code, a
 * message, a {@code google.rpc.ErrorInfo} whose domain names the service and whose reason is a
 * stable upper-case word clients may match on, and the detail the case calls for ({@code
 * BadRequest} naming the field, {@code ResourceInfo}, {@code RetryInfo}, {@code
 * PreconditionFailure}). Each service maps its own exceptions to these; this class only builds
 * them.
 */
public final class RpcErrors {
  private RpcErrors() {}

  /** A status with its {@code ErrorInfo} first and then the given details. */
  public static StatusRuntimeException status(
      Code code, String message, String domain, String reason, Any... details) {
    Status.Builder status =
        Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(message)
            .addDetails(
                Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain(domain).build()));
    for (Any detail : details) {
      status.addDetails(detail);
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  /** {@code BadRequest} with one field violation. */
  public static Any badRequest(String field, String description) {
    return Any.pack(
        BadRequest.newBuilder()
            .addFieldViolations(
                BadRequest.FieldViolation.newBuilder().setField(field).setDescription(description))
            .build());
  }

  /** {@code ResourceInfo} of the missing or unknown thing; an empty description is left out. */
  public static Any resource(String type, String name, String description) {
    return Any.pack(
        ResourceInfo.newBuilder()
            .setResourceType(type)
            .setResourceName(name)
            .setDescription(description)
            .build());
  }

  /** {@code RetryInfo}: when a client should try again. */
  public static Any retryAfter(long seconds) {
    return Any.pack(
        RetryInfo.newBuilder().setRetryDelay(Duration.newBuilder().setSeconds(seconds)).build());
  }

  /** {@code PreconditionFailure} with one violation. */
  public static Any preconditionFailure(String type, String subject, String description) {
    return Any.pack(
        PreconditionFailure.newBuilder()
            .addViolations(
                PreconditionFailure.Violation.newBuilder()
                    .setType(type)
                    .setSubject(subject)
                    .setDescription(description))
            .build());
  }

  /** The failure inside the wrappers that futures put around it. */
  public static Throwable unwrap(Throwable failure) {
    Throwable error = failure;
    while ((error instanceof CompletionException || error instanceof ExecutionException)
        && error.getCause() != null) {
      error = error.getCause();
    }
    return error;
  }

  /** The failure itself when it already is a gRPC status (passed on unchanged). */
  public static Optional<StatusRuntimeException> asStatus(Throwable error) {
    if (error instanceof StatusRuntimeException status) {
      return Optional.of(status);
    }
    if (error instanceof StatusException status) {
      return Optional.of(new StatusRuntimeException(status.getStatus(), status.getTrailers()));
    }
    return Optional.empty();
  }
}
