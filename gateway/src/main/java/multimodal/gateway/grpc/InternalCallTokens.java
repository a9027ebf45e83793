package multimodal.gateway.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import multimodal.internalauth.CallTokenClientInterceptor;
import multimodal.internalauth.InternalAuthConfig;
import multimodal.internalauth.InternalServices;
import org.eclipse.microprofile.config.Config;

/**
 * Gives every call of this service's gRPC clients a fresh call token (internal-auth/README.md),
 * acting for the tenant set with {@link CallTokenClientInterceptor#forTenant}. Built at startup, so
 * a missing or short {@code multimodal.internal-auth.key} stops the service.
 *
 * <p>The settings are read by internal-auth ({@link InternalAuthConfig}); this class stays in each
 * calling service only because Quarkus finds global gRPC interceptors among the application's own
 * bean classes, and internal-auth is plain Java without CDI.
 */
@GlobalInterceptor
@Singleton
@Startup
public class InternalCallTokens implements ClientInterceptor {
  private final ClientInterceptor tokens;

  InternalCallTokens(Config config) {
    tokens = InternalAuthConfig.client(InternalServices.GATEWAY, config);
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return tokens.interceptCall(method, options, next);
  }
}
