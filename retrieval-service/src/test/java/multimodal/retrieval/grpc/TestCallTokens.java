package multimodal.retrieval.grpc;

import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import java.util.List;
import java.util.Optional;
import multimodal.internalauth.CallTokenClientInterceptor;
import multimodal.internalauth.CallTokenServerInterceptor;
import multimodal.internalauth.CallTokens;
import multimodal.internalauth.InternalServices;
import multimodal.internalauth.SigningKeys;

/** Call tokens for the tests that run retrieval's gRPC adapter without Quarkus. */
public final class TestCallTokens {
  /** The %test value of multimodal.internal-auth.key in application.properties. */
  public static final String KEY = "test-internal-auth-key-0123456789abcdef-0123";

  static final SigningKeys KEYS = SigningKeys.of(Optional.of(KEY), Optional.empty());

  private TestCallTokens() {}

  /** Tokens as {@code service} mints them. */
  public static ClientInterceptor as(String service) {
    return new CallTokenClientInterceptor(new CallTokens(service, KEYS));
  }

  /**
   * The check retrieval-service applies to the calls it serves (as configured in
   * application.properties).
   */
  public static ServerInterceptor retrievalGuard() {
    return CallTokenServerInterceptor.configured(
        InternalServices.RETRIEVAL,
        Optional.of(KEY),
        Optional.empty(),
        List.of(InternalServices.GATEWAY, InternalServices.RETRIEVAL),
        (reason, caller) -> {});
  }
}
