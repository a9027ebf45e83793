package multimodal.internalauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the token of an incoming internal call, in an order that never trusts a claim before the
 * signature: present and {@code Bearer}, a JWS with HS256 (so {@code alg: none} and every other
 * algorithm are refused), a valid MAC under the current or the previous key, the required claims,
 * the audience, the time window (with {@link #CLOCK_SKEW} either way), and last the caller against
 * the callee's allowed callers. Each failure is a {@link CallRefusedException} that says which.
 */
public final class CallTokenVerifier {
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
  private static final String BEARER = "Bearer ";
  private static final String UNKNOWN = "unknown";

  private final List<MACVerifier> verifiers = new ArrayList<>();
  private final Set<String> allowedCallers;
  private final Clock clock;

  public CallTokenVerifier(SigningKeys keys, Collection<String> allowedCallers) {
    this(keys, allowedCallers, Clock.systemUTC());
  }

  public CallTokenVerifier(SigningKeys keys, Collection<String> allowedCallers, Clock clock) {
    for (byte[] key : keys.verification()) {
      try {
        verifiers.add(new MACVerifier(key));
      } catch (JOSEException e) {
        throw new IllegalStateException(
            "the internal-auth key cannot check HS256 tokens: " + e.getMessage(), e);
      }
    }
    this.allowedCallers =
        Set.copyOf(
            allowedCallers.stream()
                .map(String::trim)
                .map(
                    name -> InternalServices.requireKnown(name, "multimodal.internal-auth.callers"))
                .toList());
    this.clock = clock;
  }

  /**
   * The verified call, for a call to {@code audience} that carried {@code authorization} (may be
   * null).
   */
  public InternalCall verify(String authorization, String audience) {
    SignedJWT jwt = parse(authorization);
    if (!signatureValid(jwt)) {
      throw refused(
          RefusalReason.BAD_SIGNATURE,
          UNKNOWN,
          "the call token's signature does not verify with the internal-auth key");
    }
    JWTClaimsSet claims;
    String tenant;
    try {
      claims = jwt.getJWTClaimsSet();
      tenant = claims.getStringClaim(CallTokens.TENANT_CLAIM);
    } catch (ParseException e) {
      throw refused(
          RefusalReason.MALFORMED_TOKEN,
          UNKNOWN,
          "the call token's claims cannot be read: " + e.getMessage());
    }
    String issuer = claims.getIssuer();
    String caller = issuer != null && InternalServices.ALL.contains(issuer) ? issuer : UNKNOWN;
    requireClaims(claims, caller);
    if (!claims.getAudience().equals(List.of(audience))) {
      throw refused(
          RefusalReason.WRONG_AUDIENCE,
          caller,
          "the call token is for " + claims.getAudience() + ", not for " + audience);
    }
    Instant now = clock.instant();
    if (now.isAfter(claims.getExpirationTime().toInstant().plus(CLOCK_SKEW))) {
      throw refused(
          RefusalReason.EXPIRED,
          caller,
          "the call token expired at " + claims.getExpirationTime().toInstant());
    }
    if (claims.getIssueTime().toInstant().isAfter(now.plus(CLOCK_SKEW))) {
      throw refused(
          RefusalReason.NOT_YET_VALID,
          caller,
          "the call token was issued in the future (" + claims.getIssueTime().toInstant() + ")");
    }
    if (!allowedCallers.contains(issuer)) {
      throw refused(
          RefusalReason.CALLER_NOT_ALLOWED, caller, issuer + " is not allowed to call " + audience);
    }
    return new InternalCall(issuer, Optional.ofNullable(tenant).filter(t -> !t.isEmpty()));
  }

  private static SignedJWT parse(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw refused(
          RefusalReason.MISSING_TOKEN,
          UNKNOWN,
          "no call token: metadata authorization: Bearer <token> is required");
    }
    if (!authorization.startsWith(BEARER)) {
      throw refused(
          RefusalReason.MALFORMED_TOKEN,
          UNKNOWN,
          "metadata authorization must be 'Bearer <token>'");
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(authorization.substring(BEARER.length()).trim());
    } catch (ParseException e) {
      throw refused(
          RefusalReason.MALFORMED_TOKEN,
          UNKNOWN,
          "the call token is not a signed JWT: " + e.getMessage());
    }
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
      throw refused(
          RefusalReason.MALFORMED_TOKEN,
          UNKNOWN,
          "the call token is signed with "
              + jwt.getHeader().getAlgorithm()
              + "; only HS256 is accepted");
    }
    return jwt;
  }

  private boolean signatureValid(SignedJWT jwt) {
    for (MACVerifier verifier : verifiers) {
      try {
        if (jwt.verify(verifier)) {
          return true;
        }
      } catch (JOSEException | IllegalStateException e) {
        return false;
      }
    }
    return false;
  }

  private static void requireClaims(JWTClaimsSet claims, String caller) {
    List<String> missing = new ArrayList<>();
    if (claims.getIssuer() == null || claims.getIssuer().isEmpty()) {
      missing.add("iss");
    }
    if (claims.getAudience() == null || claims.getAudience().isEmpty()) {
      missing.add("aud");
    }
    Date issued = claims.getIssueTime();
    if (issued == null) {
      missing.add("iat");
    }
    if (claims.getExpirationTime() == null) {
      missing.add("exp");
    }
    if (!missing.isEmpty()) {
      throw refused(
          RefusalReason.MISSING_CLAIMS,
          caller,
          "the call token lacks the claims " + String.join(", ", missing));
    }
  }

  private static CallRefusedException refused(
      RefusalReason reason, String caller, String description) {
    return new CallRefusedException(reason, caller, description);
  }
}
