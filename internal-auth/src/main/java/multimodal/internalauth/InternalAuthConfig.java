package multimodal.internalauth;

import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * The interceptors of a service as its MicroProfile configuration describes them: the one place
 * that knows the setting names, so the services' CDI wrappers only say which service they are.
 * Takes the plain {@link Config} API (no Quarkus here), so it is testable with any config source.
 */
public final class InternalAuthConfig {
  /** The services whose calls this one serves (required on a serving service). */
  public static final String CALLERS = "multimodal.internal-auth.callers";

  private InternalAuthConfig() {}

  /**
   * The server check of {@code service}; throws with a message naming the setting when the key is
   * missing or too short, or when no callers are configured, so that the service does not start.
   */
  public static CallTokenServerInterceptor server(
      String service, Config config, RefusalListener refusals) {
    List<String> callers = config.getValues(CALLERS, String.class);
    return CallTokenServerInterceptor.configured(
        service,
        config.getOptionalValue(SigningKeys.KEY_SETTING, String.class),
        config.getOptionalValue(SigningKeys.PREVIOUS_KEY_SETTING, String.class),
        callers,
        refusals);
  }

  /** The client side of {@code service}: a fresh token on every call of an internal API. */
  public static CallTokenClientInterceptor client(String service, Config config) {
    return CallTokenClientInterceptor.configured(
        service,
        config.getOptionalValue(SigningKeys.KEY_SETTING, String.class),
        config.getOptionalValue(SigningKeys.PREVIOUS_KEY_SETTING, String.class));
  }
}
