package multimodal.internalauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallTokenVerifierTest {
  static final String KEY = "test-internal-auth-key-0123456789abcdef-0123";
  static final String OTHER_KEY = "another-internal-auth-key-0123456789abcdef";
  static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  private final SigningKeys keys = SigningKeys.of(Optional.of(KEY), Optional.empty());
  private final CallTokenVerifier retrieval =
      new CallTokenVerifier(keys, List.of("gateway"), Clock.fixed(NOW, ZoneOffset.UTC));

  private static CallTokens minter(String issuer, String key, Instant at) {
    return new CallTokens(
        issuer,
        SigningKeys.of(Optional.of(key), Optional.empty()),
        Clock.fixed(at, ZoneOffset.UTC));
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  @Test
  void aTokenMintedForTheCalleeVerifiesWithCallerAndTenant() {
    String token = minter("gateway", KEY, NOW).mint("retrieval-service", "acme");

    InternalCall call = retrieval.verify(bearer(token), "retrieval-service");

    assertThat(call.caller()).isEqualTo("gateway");
    assertThat(call.tenant()).contains("acme");
  }

  @Test
  void theTokenCarriesTheContractsClaimsAndLivesSixtySeconds() throws Exception {
    SignedJWT jwt = SignedJWT.parse(minter("gateway", KEY, NOW).mint("generator-service", "acme"));

    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo("gateway");
    assertThat(claims.getAudience()).containsExactly("generator-service");
    assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(60));
    assertThat(claims.getStringClaim("tenant")).isEqualTo("acme");
  }

  @Test
  void aCallWithoutATenantHasNoTenantClaim() {
    InternalCall call =
        retrieval.verify(
            bearer(minter("gateway", KEY, NOW).mint("retrieval-service", null)),
            "retrieval-service");

    assertThat(call.tenant()).isEmpty();
  }

  @Test
  void noTokenIsUnauthenticated() {
    assertRefused(
        () -> retrieval.verify(null, "retrieval-service"),
        RefusalReason.MISSING_TOKEN,
        Status.Code.UNAUTHENTICATED);
    assertRefused(
        () -> retrieval.verify("", "retrieval-service"),
        RefusalReason.MISSING_TOKEN,
        Status.Code.UNAUTHENTICATED);
  }

  @Test
  void somethingElseThanABearerJwtIsMalformed() {
    String token = minter("gateway", KEY, NOW).mint("retrieval-service", "acme");
    assertRefused(
        () -> retrieval.verify("Basic " + token, "retrieval-service"),
        RefusalReason.MALFORMED_TOKEN,
        Status.Code.UNAUTHENTICATED);
    assertRefused(
        () -> retrieval.verify("Bearer not-a-jwt", "retrieval-service"),
        RefusalReason.MALFORMED_TOKEN,
        Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aTokenSignedWithAnotherKeyHasABadSignature() {
    String token = minter("gateway", OTHER_KEY, NOW).mint("retrieval-service", "acme");

    assertRefused(
        () -> retrieval.verify(bearer(token), "retrieval-service"),
        RefusalReason.BAD_SIGNATURE,
        Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aTamperedClaimBreaksTheSignature() throws Exception {
    String[] parts = minter("gateway", KEY, NOW).mint("retrieval-service", "acme").split("\\.");
    JWTClaimsSet forged =
        new JWTClaimsSet.Builder(SignedJWT.parse(String.join(".", parts)).getJWTClaimsSet())
            .claim("tenant", "other")
            .build();
    String payload = com.nimbusds.jose.util.Base64URL.encode(forged.toString()).toString();

    assertRefused(
        () ->
            retrieval.verify(
                bearer(parts[0] + "." + payload + "." + parts[2]), "retrieval-service"),
        RefusalReason.BAD_SIGNATURE,
        Status.Code.UNAUTHENTICATED);
  }

  @Test
  void anUnsignedTokenIsRefused() {
    String none =
        new PlainJWT(claims("gateway", "retrieval-service", NOW, NOW.plusSeconds(60))).serialize();

    assertRefused(
        () -> retrieval.verify(bearer(none), "retrieval-service"),
        RefusalReason.MALFORMED_TOKEN,
        Status.Code.UNAUTHENTICATED);
  }

  @Test
  void anotherMacAlgorithmIsRefusedEvenWithTheRightKey() throws Exception {
    byte[] key = (KEY + KEY).getBytes(StandardCharsets.UTF_8);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.HS512),
            claims("gateway", "retrieval-service", NOW, NOW.plusSeconds(60)));
    jwt.sign(new MACSigner(key));

    assertRefused(
        () -> retrieval.verify(bearer(jwt.serialize()), "retrieval-service"),
        RefusalReason.MALFORMED_TOKEN,
        Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aTokenForAnotherServiceHasTheWrongAudience() {
    String token = minter("gateway", KEY, NOW).mint("generator-service", "acme");

    CallRefusedException refusal =
        assertRefused(
            () -> retrieval.verify(bearer(token), "retrieval-service"),
            RefusalReason.WRONG_AUDIENCE,
            Status.Code.UNAUTHENTICATED);
    assertThat(refusal.caller()).isEqualTo("gateway");
  }

  @Test
  void expiryIsCheckedWithThirtySecondsOfSkew() {
    CallTokens minted90sAgo = minter("gateway", KEY, NOW.minusSeconds(89));
    CallTokens minted91sAgo = minter("gateway", KEY, NOW.minusSeconds(91));

    assertThat(
            retrieval
                .verify(bearer(minted90sAgo.mint("retrieval-service", "acme")), "retrieval-service")
                .caller())
        .isEqualTo("gateway");
    assertRefused(
        () ->
            retrieval.verify(
                bearer(minted91sAgo.mint("retrieval-service", "acme")), "retrieval-service"),
        RefusalReason.EXPIRED,
        Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aTokenIssuedInTheFutureBeyondTheSkewIsRefused() {
    assertThat(
            retrieval.verify(
                bearer(
                    minter("gateway", KEY, NOW.plusSeconds(29)).mint("retrieval-service", "acme")),
                "retrieval-service"))
        .isNotNull();
    assertRefused(
        () ->
            retrieval.verify(
                bearer(
                    minter("gateway", KEY, NOW.plusSeconds(31)).mint("retrieval-service", "acme")),
                "retrieval-service"),
        RefusalReason.NOT_YET_VALID,
        Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aTokenWithoutExpiryOrIssuerIsRefused() throws Exception {
    JWTClaimsSet noExpiry =
        new JWTClaimsSet.Builder()
            .issuer("gateway")
            .audience("retrieval-service")
            .issueTime(Date.from(NOW))
            .build();
    JWTClaimsSet noIssuer =
        new JWTClaimsSet.Builder()
            .audience("retrieval-service")
            .issueTime(Date.from(NOW))
            .expirationTime(Date.from(NOW.plusSeconds(60)))
            .build();

    String withoutExpiry = signed(noExpiry, KEY);
    String withoutIssuer = signed(noIssuer, KEY);
    assertThat(
            assertRefused(
                    () -> retrieval.verify(bearer(withoutExpiry), "retrieval-service"),
                    RefusalReason.MISSING_CLAIMS,
                    Status.Code.UNAUTHENTICATED)
                .getMessage())
        .contains("exp");
    assertThat(
            assertRefused(
                    () -> retrieval.verify(bearer(withoutIssuer), "retrieval-service"),
                    RefusalReason.MISSING_CLAIMS,
                    Status.Code.UNAUTHENTICATED)
                .getMessage())
        .contains("iss");
  }

  @Test
  void aValidTokenOfACallerTheCalleeDoesNotAllowIsPermissionDenied() {
    String token = minter("encoder-service", KEY, NOW).mint("retrieval-service", "acme");

    CallRefusedException refusal =
        assertRefused(
            () -> retrieval.verify(bearer(token), "retrieval-service"),
            RefusalReason.CALLER_NOT_ALLOWED,
            Status.Code.PERMISSION_DENIED);
    assertThat(refusal.caller()).isEqualTo("encoder-service");
  }

  @Test
  void aForgedIssuerNameIsNotUsedAsAMetricLabel() throws Exception {
    String token =
        signed(
            claims("attacker-" + "x".repeat(40), "retrieval-service", NOW, NOW.plusSeconds(60)),
            KEY);

    assertThat(
            assertRefused(
                    () -> retrieval.verify(bearer(token), "retrieval-service"),
                    RefusalReason.CALLER_NOT_ALLOWED,
                    Status.Code.PERMISSION_DENIED)
                .caller())
        .isEqualTo("unknown");
  }

  @Test
  void duringARotationThePreviousKeyStillVerifiesAndTheCurrentOneSigns() {
    SigningKeys rotating = SigningKeys.of(Optional.of(OTHER_KEY), Optional.of(KEY));
    CallTokenVerifier verifier =
        new CallTokenVerifier(rotating, List.of("gateway"), Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(
            verifier.verify(
                bearer(minter("gateway", KEY, NOW).mint("retrieval-service", "a")),
                "retrieval-service"))
        .isNotNull();
    assertThat(
            verifier.verify(
                bearer(minter("gateway", OTHER_KEY, NOW).mint("retrieval-service", "a")),
                "retrieval-service"))
        .isNotNull();
    String minted =
        new CallTokens("gateway", rotating, Clock.fixed(NOW, ZoneOffset.UTC))
            .mint("retrieval-service", "a");
    assertRefused(
        () -> retrieval.verify(bearer(minted), "retrieval-service"),
        RefusalReason.BAD_SIGNATURE,
        Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aMissingOrShortKeyStopsTheServiceWithAClearMessage() {
    assertThatThrownBy(() -> SigningKeys.of(Optional.empty(), Optional.empty()))
        .hasMessageContaining("multimodal.internal-auth.key")
        .hasMessageContaining("MULTIMODAL_INTERNAL_AUTH_KEY")
        .hasMessageContaining("openssl rand -base64 48");
    assertThatThrownBy(() -> SigningKeys.of(Optional.of("x".repeat(31)), Optional.empty()))
        .hasMessageContaining("31 bytes")
        .hasMessageContaining("at least 32");
    assertThatThrownBy(() -> SigningKeys.of(Optional.of(KEY), Optional.of("short")))
        .hasMessageContaining("multimodal.internal-auth.previous-key");
  }

  @Test
  void anUnknownServiceInTheCallersListIsRefused() {
    assertThatThrownBy(() -> new CallTokenVerifier(keys, List.of("gateway", "gatewy")))
        .hasMessageContaining("gatewy");
  }

  private static JWTClaimsSet claims(
      String issuer, String audience, Instant issued, Instant expires) {
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(audience)
        .issueTime(Date.from(issued))
        .expirationTime(Date.from(expires))
        .claim("tenant", "acme")
        .build();
  }

  private static String signed(JWTClaimsSet claims, String key) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  static CallRefusedException assertRefused(Runnable call, RefusalReason reason, Status.Code code) {
    try {
      call.run();
    } catch (CallRefusedException e) {
      assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
      assertThat(e.status().getCode()).isEqualTo(code);
      assertThat(e.status().getDescription()).isNotBlank();
      return e;
    }
    throw new AssertionError("expected a refusal " + reason);
  }
}
