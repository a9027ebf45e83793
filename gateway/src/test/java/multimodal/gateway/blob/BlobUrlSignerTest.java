package multimodal.gateway.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BlobUrlSignerTest {
  private static final byte[] KEY =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final String BLOB = "a".repeat(64);
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final BlobUrlSigner signer = new BlobUrlSigner(KEY, Duration.ofDays(7), clock);

  /** The URL's parts as the internal route reads them. */
  private record Parts(String sha256, String tenant, String expires, String sig) {
    static Parts of(String url) {
      URI uri = URI.create(url);
      Map<String, String> query =
          Stream.of(uri.getRawQuery().split("&"))
              .map(p -> p.split("=", 2))
              .collect(Collectors.toMap(p -> p[0], p -> p[1]));
      String path = uri.getRawPath();
      return new Parts(
          path.substring(path.lastIndexOf('/') + 1),
          query.get("tenant"),
          query.get("expires"),
          query.get("sig"));
    }

    boolean verifiedBy(BlobUrlSigner signer) {
      return signer.verify(sha256, tenant, expires, sig);
    }
  }

  @Test
  void issuesAUrlUnderTheBlobRouteThatVerifies() {
    String url = signer.sign("http://gateway:8080/", "acme", BLOB);

    assertThat(url)
        .startsWith(
            "http://gateway:8080/internal/blobs/"
                + BLOB
                + "?tenant=acme&expires="
                + NOW.plus(Duration.ofDays(7)).getEpochSecond()
                + "&sig=");
    assertThat(Parts.of(url).verifiedBy(signer)).isTrue();
  }

  @Test
  void aTamperedSignatureBlobTenantOrExpiryDoesNotVerify() {
    Parts good = Parts.of(signer.sign("http://gateway:8080", "acme", BLOB));
    String flipped = (good.sig().charAt(0) == 'A' ? 'B' : 'A') + good.sig().substring(1);

    assertThat(new Parts(good.sha256(), good.tenant(), good.expires(), flipped).verifiedBy(signer))
        .isFalse();
    assertThat(
            new Parts("b".repeat(64), good.tenant(), good.expires(), good.sig()).verifiedBy(signer))
        .isFalse();
    assertThat(new Parts(good.sha256(), "other", good.expires(), good.sig()).verifiedBy(signer))
        .isFalse();
    assertThat(
            new Parts(
                    good.sha256(),
                    good.tenant(),
                    Long.toString(Long.parseLong(good.expires()) + 1),
                    good.sig())
                .verifiedBy(signer))
        .isFalse();
  }

  @Test
  void anotherKeysSignatureDoesNotVerify() {
    BlobUrlSigner other =
        new BlobUrlSigner(
            "another-key-another-key-another-k".getBytes(StandardCharsets.UTF_8),
            Duration.ofDays(7),
            clock);

    assertThat(Parts.of(other.sign("http://gateway:8080", "acme", BLOB)).verifiedBy(signer))
        .isFalse();
  }

  @Test
  void expiresAfterItsLifetime() {
    Parts parts = Parts.of(signer.sign("http://gateway:8080", "acme", BLOB));

    clock.now = NOW.plus(Duration.ofDays(7));
    assertThat(parts.verifiedBy(signer)).as("at the expiry second").isTrue();
    clock.now = NOW.plus(Duration.ofDays(7)).plusSeconds(1);
    assertThat(parts.verifiedBy(signer)).as("after it").isFalse();
  }

  @Test
  void malformedPartsAreSimplyNotValid() {
    Parts good = Parts.of(signer.sign("http://gateway:8080", "acme", BLOB));

    assertThat(signer.verify(null, good.tenant(), good.expires(), good.sig())).isFalse();
    assertThat(signer.verify(good.sha256(), null, good.expires(), good.sig())).isFalse();
    assertThat(signer.verify(good.sha256(), good.tenant(), null, good.sig())).isFalse();
    assertThat(signer.verify(good.sha256(), good.tenant(), good.expires(), null)).isFalse();
    assertThat(signer.verify(good.sha256(), good.tenant(), "-1", good.sig())).isFalse();
    assertThat(signer.verify(good.sha256(), good.tenant(), "99999999999999999999999", good.sig()))
        .isFalse();
    assertThat(signer.verify(good.sha256(), good.tenant(), good.expires(), "not*base64")).isFalse();
    assertThat(signer.verify(good.sha256(), good.tenant(), good.expires(), "")).isFalse();
    assertThat(
            signer.verify(good.sha256().toUpperCase(), good.tenant(), good.expires(), good.sig()))
        .isFalse();
  }

  /**
   * Base64's last character carries spare bits: another spelling of the same bytes is not the
   * signature.
   */
  @Test
  void onlyTheCanonicalSpellingOfTheSignatureVerifies() {
    Parts good = Parts.of(signer.sign("http://gateway:8080", "acme", BLOB));
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int last = alphabet.indexOf(good.sig().charAt(good.sig().length() - 1));
    String sameBytes =
        good.sig().substring(0, good.sig().length() - 1)
            + alphabet.charAt(last ^ 1); // flips a spare bit

    assertThat(java.util.Base64.getUrlDecoder().decode(sameBytes))
        .isEqualTo(java.util.Base64.getUrlDecoder().decode(good.sig()));
    assertThat(
            new Parts(good.sha256(), good.tenant(), good.expires(), sameBytes).verifiedBy(signer))
        .isFalse();
  }

  @Test
  void refusesAShortKeyANonPositiveLifetimeAndBadInputs() {
    assertThatThrownBy(
            () ->
                new BlobUrlSigner(
                    "short".getBytes(StandardCharsets.UTF_8), Duration.ofDays(1), clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> new BlobUrlSigner(KEY, Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> signer.sign("http://gateway", "Mixed.Co", BLOB))
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> signer.sign("http://gateway", "acme", "../etc"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
