package multimodal.systemtest.hostile;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

/** Service-to-service tokens as the contract defines them: HS256 JWTs with iss, aud, iat, exp and tenant. */
final class InternalTokens {
  private InternalTokens() {}

  static String mint(String key, String issuer, String audience, String tenant, Instant issuedAt, Instant expires) {
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

  static String valid(String key, String issuer, String audience, String tenant) {
    Instant now = Instant.now();
    return mint(key, issuer, audience, tenant, now, now.plusSeconds(60));
  }
}
