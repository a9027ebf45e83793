package multimodal.internalauth;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * An internal call the verifier or the tenant rule refuses: why, and the caller when it is known.
 */
public final class CallRefusedException extends RuntimeException {
  private final RefusalReason reason;
  private final String caller;
  private final String field;

  CallRefusedException(RefusalReason reason, String caller, String description) {
    this(reason, caller, description, null);
  }

  /** A refusal of a request field: {@code field} is named in a google.rpc.BadRequest. */
  CallRefusedException(RefusalReason reason, String caller, String description, String field) {
    super(description, null, false, false);
    this.reason = reason;
    this.caller = caller;
    this.field = field;
  }

  public RefusalReason reason() {
    return reason;
  }

  /** The verified issuer when it is one of the platform's services, else {@code unknown}. */
  public String caller() {
    return caller;
  }

  /**
   * The status the call is closed with: the reason's code, and a description saying which check
   * failed.
   */
  public Status status() {
    return Status.fromCode(reason.code()).withDescription(getMessage());
  }

  /**
   * The status and its trailers: a google.rpc.BadRequest naming the field, where a field is at
   * fault.
   */
  public StatusRuntimeException asException() {
    if (field == null) {
      return status().asRuntimeException(new Metadata());
    }
    BadRequest badRequest =
        BadRequest.newBuilder()
            .addFieldViolations(
                BadRequest.FieldViolation.newBuilder().setField(field).setDescription(getMessage()))
            .build();
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(reason.code().value())
            .setMessage(getMessage())
            .addDetails(Any.pack(badRequest))
            .build());
  }
}
