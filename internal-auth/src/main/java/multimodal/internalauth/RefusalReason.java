package multimodal.internalauth;

import io.grpc.Status;

/**
 * Why an internal call was refused, with the gRPC status it gets. The label is what the refusal
 * metric counts by (together with the caller, never the tenant).
 */
public enum RefusalReason {
  MISSING_TOKEN(Status.Code.UNAUTHENTICATED),
  MALFORMED_TOKEN(Status.Code.UNAUTHENTICATED),
  BAD_SIGNATURE(Status.Code.UNAUTHENTICATED),
  MISSING_CLAIMS(Status.Code.UNAUTHENTICATED),
  WRONG_AUDIENCE(Status.Code.UNAUTHENTICATED),
  EXPIRED(Status.Code.UNAUTHENTICATED),
  NOT_YET_VALID(Status.Code.UNAUTHENTICATED),
  CALLER_NOT_ALLOWED(Status.Code.PERMISSION_DENIED),
  MISSING_TENANT(Status.Code.INVALID_ARGUMENT),
  TENANT_MISMATCH(Status.Code.PERMISSION_DENIED);

  private final Status.Code code;

  RefusalReason(Status.Code code) {
    this.code = code;
  }

  public Status.Code code() {
    return code;
  }

  /** The metric label: {@code wrong_audience}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
