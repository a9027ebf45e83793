package multimodal.retrieval.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import multimodal.internalauth.InternalAuthConfig;
import multimodal.internalauth.InternalServices;
import multimodal.internalauth.RefusalCounter;
import org.eclipse.microprofile.config.Config;

/**
 * Service-to-service authentication of every gRPC call this service serves except grpc.health.v1
 * (internal-auth/README.md): a call token signed with the platform's key, for this service, from a
 * caller in {@code multimodal.internal-auth.callers}. Every request names its tenant, which must
 * match the token's claim. Built at startup, so a missing or short key stops the service before it
 * serves anything. Refusals are counted as {@code internal_auth_refusals_total{reason,caller}}.
 *
 * <p>The settings and the check are internal-auth's ({@link InternalAuthConfig}); this class stays
 * in each service only because Quarkus finds global gRPC interceptors among the application's own
 * bean classes, and internal-auth is plain Java without CDI.
 */
@GlobalInterceptor
@Singleton
@Startup
public class InternalCallGuard implements ServerInterceptor {
  private final ServerInterceptor guard;

  InternalCallGuard(Config config, MeterRegistry meters) {
    guard =
        InternalAuthConfig.server(InternalServices.RETRIEVAL, config, new RefusalCounter(meters));
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return guard.interceptCall(call, headers, next);
  }
}
