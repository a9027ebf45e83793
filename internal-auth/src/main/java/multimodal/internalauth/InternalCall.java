package multimodal.internalauth;

import io.grpc.Context;
import io.grpc.Status;
import java.util.Optional;

/**
 * A verified internal call: the calling service and the tenant its token was issued for (absent
 * when the token names none). The server interceptor puts it in the call's {@link Context}.
 */
public record InternalCall(String caller, Optional<String> tenant) {
  static final Context.Key<InternalCall> KEY = Context.key("multimodal.internal-call");

  /** The verified call being served; UNAUTHENTICATED when none was verified (a wiring error). */
  public static InternalCall current() {
    InternalCall call = KEY.get();
    if (call == null) {
      throw Status.UNAUTHENTICATED
          .withDescription("this call was not authenticated as an internal call")
          .asRuntimeException();
    }
    return call;
  }

  /**
   * The tenant the current call acts for, from its token; INVALID_ARGUMENT when the token names
   * none.
   */
  public static String currentTenant() {
    return current()
        .tenant()
        .orElseThrow(
            () ->
                Status.INVALID_ARGUMENT
                    .withDescription("the call names no tenant (token claim tenant)")
                    .asRuntimeException());
  }
}
