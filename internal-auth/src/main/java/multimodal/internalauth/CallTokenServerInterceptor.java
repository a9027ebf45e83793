package multimodal.internalauth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates every internal gRPC call a service serves except {@code grpc.health.v1.Health}
 * (load balancers and probes call it without a token; it says nothing about any tenant). The token
 * is checked before the call reaches the service ({@link CallTokenVerifier}), and each request
 * message before the service sees it ({@link TenantRule}); a refused call is closed with the
 * reason's status and reported to the {@link RefusalListener}. The verified call is in the call's
 * {@link Context}: {@link InternalCall#current()}.
 */
public final class CallTokenServerInterceptor implements ServerInterceptor {
  public static final String HEALTH_SERVICE = "grpc.health.v1.Health";
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String service;
  private final CallTokenVerifier verifier;
  private final RefusalListener refusals;

  /**
   * @param service this service's name: the audience of calls to an API it does not own (server
   *     reflection); calls to an internal API must name that API's owner ({@link InternalServices})
   */
  public CallTokenServerInterceptor(
      String service, CallTokenVerifier verifier, RefusalListener refusals) {
    this.service = InternalServices.requireKnown(service, "the service name");
    this.verifier = verifier;
    this.refusals = refusals;
  }

  /**
   * The interceptor of {@code service} as configuration describes it; throws with a message naming
   * the setting when the key is missing or too short, so that the service does not start.
   */
  public static CallTokenServerInterceptor configured(
      String service,
      Optional<String> key,
      Optional<String> previousKey,
      List<String> allowedCallers,
      RefusalListener refusals) {
    CallTokenVerifier verifier =
        new CallTokenVerifier(SigningKeys.of(key, previousKey), allowedCallers);
    return new CallTokenServerInterceptor(service, verifier, refusals);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String api = call.getMethodDescriptor().getServiceName();
    if (HEALTH_SERVICE.equals(api)) {
      return next.startCall(call, headers);
    }
    InternalCall verified;
    try {
      verified =
          verifier.verify(
              headers.get(AUTHORIZATION), InternalServices.ownerOf(api).orElse(service));
    } catch (CallRefusedException e) {
      refuse(call, e);
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current().withValue(InternalCall.KEY, verified);
    return new TenantChecked<>(
        Contexts.interceptCall(context, call, headers, next),
        call,
        verified,
        InternalServices.tenantScoped(api));
  }

  private void refuse(ServerCall<?, ?> call, CallRefusedException e) {
    refusals.refused(e.reason(), e.caller());
    StatusRuntimeException refusal = e.asException();
    call.close(refusal.getStatus(), refusal.getTrailers());
  }

  /** Holds back every request message that breaks the tenant rule, and the rest of that call. */
  private final class TenantChecked<Q>
      extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
    private final ServerCall<Q, ?> call;
    private final InternalCall verified;
    private final boolean tenantScoped;
    private boolean refused;

    TenantChecked(
        ServerCall.Listener<Q> delegate,
        ServerCall<Q, ?> call,
        InternalCall verified,
        boolean tenantScoped) {
      super(delegate);
      this.call = call;
      this.verified = verified;
      this.tenantScoped = tenantScoped;
    }

    @Override
    public void onMessage(Q message) {
      if (refused) {
        return;
      }
      try {
        TenantRule.check(message, verified, tenantScoped);
      } catch (CallRefusedException e) {
        refused = true;
        refuse(call, e);
        return;
      }
      super.onMessage(message);
    }

    @Override
    public void onHalfClose() {
      // The service never saw a request: it must not answer one (it would close the call twice).
      if (!refused) {
        super.onHalfClose();
      }
    }
  }
}
