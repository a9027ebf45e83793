package multimodal.internalauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Mints the token a service sends with each internal call: an HS256 JWT with {@code iss} (this
 * service), {@code aud} (the callee), {@code iat}, {@code exp} ({@link #LIFETIME} later) and, when
 * the call acts for a tenant, {@code tenant}. One token per call: signing is microseconds, and a
 * token that lives a minute is of little use to whoever copies it from a log.
 */
public final class CallTokens {
  public static final Duration LIFETIME = Duration.ofSeconds(60);
  public static final String TENANT_CLAIM = "tenant";

  private final String issuer;
  private final MACSigner signer;
  private final Clock clock;

  public CallTokens(String issuer, SigningKeys keys) {
    this(issuer, keys, Clock.systemUTC());
  }

  public CallTokens(String issuer, SigningKeys keys, Clock clock) {
    this.issuer = InternalServices.requireKnown(issuer, "the issuer of call tokens");
    this.clock = clock;
    try {
      this.signer = new MACSigner(keys.signing());
    } catch (JOSEException e) {
      throw new IllegalStateException(
          "the internal-auth key cannot sign HS256 tokens: " + e.getMessage(), e);
    }
  }

  /** A token for one call to {@code audience}, acting for {@code tenant} (null: none). */
  public String mint(String audience, String tenant) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(audience)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(LIFETIME)));
    if (tenant != null && !tenant.isEmpty()) {
      claims.claim(TENANT_CLAIM, tenant);
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a call token: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }

  public String issuer() {
    return issuer;
  }
}
