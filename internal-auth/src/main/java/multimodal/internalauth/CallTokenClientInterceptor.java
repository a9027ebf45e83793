package multimodal.internalauth;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.stub.AbstractStub;
import java.util.Optional;

/**
 * Attaches a fresh call token to every call of an internal API ({@code authorization: Bearer
 * <jwt>}), its audience the API's owner and its tenant the one the caller set on the stub with
 * {@link #forTenant}. A token already on the call is replaced, never forwarded. Calls to any other
 * API (health checks) go out unchanged.
 */
public final class CallTokenClientInterceptor implements ClientInterceptor {
  /** The tenant a call acts for: {@code forTenant(stub, tenant)}. */
  public static final CallOptions.Key<String> TENANT =
      CallOptions.Key.create("multimodal.internal-auth.tenant");

  private final CallTokens tokens;

  public CallTokenClientInterceptor(CallTokens tokens) {
    this.tokens = tokens;
  }

  /**
   * The interceptor of {@code service} as configuration describes it (see {@link SigningKeys#of}).
   */
  public static CallTokenClientInterceptor configured(
      String service, Optional<String> key, Optional<String> previousKey) {
    return new CallTokenClientInterceptor(
        new CallTokens(service, SigningKeys.of(key, previousKey)));
  }

  /** {@code stub}, its calls acting for {@code tenant} (null: for no tenant). */
  public static <S extends AbstractStub<S>> S forTenant(S stub, String tenant) {
    return tenant == null ? stub : stub.withOption(TENANT, tenant);
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    Optional<String> audience = InternalServices.ownerOf(method.getServiceName());
    if (audience.isEmpty()) {
      return next.newCall(method, options);
    }
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        headers.discardAll(CallTokenServerInterceptor.AUTHORIZATION);
        headers.put(
            CallTokenServerInterceptor.AUTHORIZATION,
            "Bearer " + tokens.mint(audience.get(), options.getOption(TENANT)));
        super.start(listener, headers);
      }
    };
  }
}
