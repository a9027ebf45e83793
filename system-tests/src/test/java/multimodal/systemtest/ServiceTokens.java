package multimodal.systemtest;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * Service-to-service call tokens as the services check them: HS256 JWTs signed with {@code
 * multimodal.internal-auth.key}, claims iss (the calling service), aud (the called one), iat, exp
 * and tenant; sent as metadata {@code authorization: Bearer <token>}.
 */
public final class ServiceTokens {
  /** The service each internal service admits, for calls the tests make in its name. */
  private static final Map<String, String> ADMITTED_CALLER =
      Map.of(
          RunningPlatform.ENCODER, RunningPlatform.RETRIEVAL,
          RunningPlatform.GENERATOR, RunningPlatform.GATEWAY,
          RunningPlatform.RETRIEVAL, RunningPlatform.GATEWAY);

  private ServiceTokens() {}

  public static String mint(
      String key,
      String issuer,
      String audience,
      String tenant,
      Instant issuedAt,
      Instant expires) {
    try {
      JWTClaimsSet claims =
          new JWTClaimsSet.Builder()
              .issuer(issuer)
              .audience(audience)
              .issueTime(Date.from(issuedAt))
              .expirationTime(Date.from(expires))
              .claim("tenant", tenant)
              .build();
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String valid(String key, String issuer, String audience, String tenant) {
    Instant now = Instant.now();
    return mint(key, issuer, audience, tenant, now, now.plusSeconds(60));
  }

  /**
   * The {@code authorization} value of a call to {@code module} by a caller it admits, for tenant
   * {@code default}; null for the gateway, whose public API takes API keys instead.
   */
  public static String bearerFor(String module, String key) {
    String caller = ADMITTED_CALLER.get(module);
    return caller == null ? null : "Bearer " + valid(key, caller, module, "default");
  }
}
