package multimodal.gateway.blob;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import multimodal.gateway.CallerUris;
import multimodal.v1.TenantId;

/**
 * Claim-check URLs the gateway signs when it issues them: {@code
 * <base>/internal/blobs/<sha256>?tenant=<tenant>&expires=<epoch seconds>&sig=<HMAC>}, where the
 * HMAC-SHA256 (key from configuration) covers the tenant, the blob and the expiry. A worker fetches
 * the URL as given and sends no credential of its own, so a URL nobody signed, or one signed for
 * another tenant or blob, or an expired one, reads nothing; a URI a caller supplies can never
 * borrow a worker's authority.
 *
 * <p>Plain JDK {@link Mac}: HMAC-SHA256 is all this needs, and the comparison is {@link
 * MessageDigest#isEqual} (constant time).
 */
public final class BlobUrlSigner {
  /** 256 bits: HMAC-SHA256's own strength. */
  public static final int MIN_KEY_BYTES = 32;

  private static final String ALGORITHM = "HmacSHA256";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec key;
  private final Duration ttl;
  private final Clock clock;

  /**
   * @param key the secret, at least {@value #MIN_KEY_BYTES} bytes
   * @param ttl how long an issued URL stays valid: longer than the ingest topic's backlog can grow
   */
  public BlobUrlSigner(byte[] key, Duration ttl, Clock clock) {
    if (key == null || key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "the blob URL signing key must have at least " + MIN_KEY_BYTES + " bytes");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("the blob URL lifetime must be positive, got " + ttl);
    }
    this.key = new SecretKeySpec(key, ALGORITHM);
    this.ttl = ttl;
    this.clock = clock;
  }

  /**
   * The URL a worker fetches the tenant's blob with, valid for the configured lifetime from now.
   */
  public String sign(String baseUrl, String tenant, String sha256) {
    TenantId.requireValid(tenant, "tenant");
    if (!BlobStore.isAddress(sha256)) {
      throw new IllegalArgumentException("not a blob address: " + sha256);
    }
    long expires = clock.instant().plus(ttl).getEpochSecond();
    // Tenant names, hex digests and digits need no percent-encoding.
    return baseUrl.replaceAll("/+$", "")
        + CallerUris.INTERNAL_BLOB_PATH
        + sha256
        + "?tenant="
        + tenant
        + "&expires="
        + expires
        + "&sig="
        + ENCODER.encodeToString(mac(tenant, sha256, expires));
  }

  /**
   * True only for a signature this key made over exactly this tenant, blob and expiry, not expired.
   * Every malformed part is simply false: the caller answers all of them alike.
   */
  public boolean verify(String sha256, String tenant, String expires, String signature) {
    if (!BlobStore.isAddress(sha256)
        || !TenantId.isValid(tenant)
        || expires == null
        || !expires.matches("[0-9]{1,18}")
        || signature == null) {
      return false;
    }
    long expiry = Long.parseLong(expires);
    if (clock.instant().getEpochSecond() > expiry) {
      return false;
    }
    // Compared as the canonical text, not decoded: base64 has spare bits in its last character, so
    // decoding would accept more than one spelling of a signature.
    byte[] expected =
        ENCODER.encodeToString(mac(tenant, sha256, expiry)).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Newline-separated: none of the three parts can contain one, so no two inputs share a message.
   */
  private byte[] mac(String tenant, String sha256, long expires) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM); // not thread-safe: one per call
      mac.init(key);
      return mac.doFinal(
          ("blob-url-v1\n" + tenant + "\n" + sha256 + "\n" + expires)
              .getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has " + ALGORITHM, e);
    }
  }
}
