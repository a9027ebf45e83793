package multimodal.generator.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.util.Optional;
import multimodal.internalauth.CallTokenClientInterceptor;
import multimodal.internalauth.InternalServices;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Calls as the gateway makes them: each with a call token of {@code gateway} (the test key) for
 * tenant {@value #TENANT}, unless the stub names another tenant ({@link
 * CallTokenClientInterceptor#forTenant}).
 */
final class GatewayCallTokens implements ClientInterceptor {
  static final String TENANT = "default";

  private final ClientInterceptor tokens =
      CallTokenClientInterceptor.configured(
          InternalServices.GATEWAY,
          Optional.of(
              ConfigProvider.getConfig().getValue("multimodal.internal-auth.key", String.class)),
          Optional.empty());

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    CallOptions withTenant =
        options.getOption(CallTokenClientInterceptor.TENANT) == null
            ? options.withOption(CallTokenClientInterceptor.TENANT, TENANT)
            : options;
    return tokens.interceptCall(method, withTenant, next);
  }
}
