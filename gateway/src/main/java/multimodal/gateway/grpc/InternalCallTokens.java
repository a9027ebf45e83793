package multimodal.gateway.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.util.Optional;
import multimodal.internalauth.CallTokenClientInterceptor;
import multimodal.internalauth.InternalServices;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Gives every call of this service's gRPC clients a fresh call token (internal-auth/README.md),
 * acting for the tenant set with {@link CallTokenClientInterceptor#forTenant}. Built at startup, so
 * a missing or short {@code multimodal.internal-auth.key} stops the service.
 */
@GlobalInterceptor
@Singleton
@Startup
public class InternalCallTokens implements ClientInterceptor {
  private final ClientInterceptor tokens;

  InternalCallTokens(
      @ConfigProperty(name = "multimodal.internal-auth.key") Optional<String> key,
      @ConfigProperty(name = "multimodal.internal-auth.previous-key")
          Optional<String> previousKey) {
    tokens = CallTokenClientInterceptor.configured(InternalServices.GATEWAY, key, previousKey);
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return tokens.interceptCall(method, options, next);
  }
}
