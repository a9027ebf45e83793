package multimodal.internalauth;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The names the services go by in call tokens ({@code iss} of the caller, {@code aud} of the
 * callee), and which service owns each internal gRPC API. The audience of a call is the owner of
 * the API it calls, so a client needs no per-channel setting and a token minted for one API is
 * refused by every other.
 */
public final class InternalServices {
  public static final String GATEWAY = "gateway";
  public static final String RETRIEVAL = "retrieval-service";
  public static final String ENCODER = "encoder-service";
  public static final String GENERATOR = "generator-service";

  /** Every name a token may carry; a metric's caller label is one of these or "unknown". */
  public static final Set<String> ALL = Set.of(GATEWAY, RETRIEVAL, ENCODER, GENERATOR);

  private static final Map<String, String> OWNER_OF_API =
      Map.of(
          "multimodal.v1.RetrievalService", RETRIEVAL,
          "multimodal.v1.EncoderService", ENCODER,
          "multimodal.v1.GeneratorService", GENERATOR);

  /**
   * The APIs whose calls act for one tenant: they read or describe a tenant's media. The encoder's
   * embeds what it is given and keeps nothing, so its calls need not name one.
   */
  private static final Set<String> TENANT_SCOPED_APIS =
      Set.of("multimodal.v1.RetrievalService", "multimodal.v1.GeneratorService");

  private InternalServices() {}

  /** Whether every call of this gRPC API must name a tenant ({@link TenantRule}). */
  public static boolean tenantScoped(String grpcServiceName) {
    return TENANT_SCOPED_APIS.contains(grpcServiceName);
  }

  /**
   * The service that owns a gRPC API ({@code multimodal.v1.EncoderService}), if it is an internal
   * one.
   */
  public static Optional<String> ownerOf(String grpcServiceName) {
    return Optional.ofNullable(OWNER_OF_API.get(grpcServiceName));
  }

  /** Refuses a name that is not one of the platform's services (a typo in a callers list, say). */
  public static String requireKnown(String name, String setting) {
    if (!ALL.contains(name)) {
      throw new IllegalArgumentException(
          setting
              + " names '"
              + name
              + "', which is not a service of the platform (one of "
              + ALL
              + ")");
    }
    return name;
  }
}
