package multimodal.internalauth;

import io.grpc.Status;

/** An internal call the verifier or the tenant rule refuses: why, and the caller when it is known. */
public final class CallRefusedException extends RuntimeException {
  private final RefusalReason reason;
  private final String caller;

  CallRefusedException(RefusalReason reason, String caller, String description) {
    super(description, null, false, false);
    this.reason = reason;
    this.caller = caller;
  }

  public RefusalReason reason() {
    return reason;
  }

  /** The verified issuer when it is one of the platform's services, else {@code unknown}. */
  public String caller() {
    return caller;
  }

  /** The status the call is closed with: the reason's code, and a description saying which check failed. */
  public Status status() {
    return Status.fromCode(reason.code()).withDescription(getMessage());
  }
}
