package multimodal.gateway.blob;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import multimodal.gateway.config.GatewayConfig;

/**
 * The gateway's claim-check URLs, configured: issues signed URLs for ingest events and judges the
 * ones workers present. Claim-check mode without a signing key stops the start, since every event
 * would carry a URL no worker could read.
 */
@ApplicationScoped
@Startup
public class ClaimCheckUrls {
  static final String KEY_SETTING = "gateway.blobs.signing-key (GATEWAY_BLOBS_SIGNING_KEY)";

  private final String baseUrl;
  private final Optional<BlobUrlSigner> signer;

  @Inject
  ClaimCheckUrls(GatewayConfig config) {
    this(
        config.blobs().baseUrl(),
        config.blobs().signingKey().filter(key -> !key.isBlank()).map(key -> signer(key, config)),
        config.ingest().payload() == GatewayConfig.Payload.CLAIM_CHECK);
  }

  public ClaimCheckUrls(String baseUrl, Optional<BlobUrlSigner> signer, boolean required) {
    if (signer.isEmpty() && required) {
      throw new IllegalStateException(
          KEY_SETTING
              + " is required with gateway.ingest.payload=claim-check: workers read uploads only"
              + " through URLs the gateway signs with it. Set it from a secret, at least "
              + BlobUrlSigner.MIN_KEY_BYTES
              + " bytes (e.g. openssl rand -hex 32).");
    }
    if (signer.isEmpty()) {
      Log.info(
          "no blob URL signing key: /internal/blobs/ answers every read with 404 (inline payload"
              + " mode)");
    }
    this.baseUrl = baseUrl;
    this.signer = signer;
  }

  private static BlobUrlSigner signer(String key, GatewayConfig config) {
    try {
      return new BlobUrlSigner(
          key.strip().getBytes(StandardCharsets.UTF_8), config.blobs().urlTtl(), Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          KEY_SETTING + " / gateway.blobs.url-ttl: " + e.getMessage(), e);
    }
  }

  /** The signed URL of the tenant's blob, for an ingest event. */
  public String issue(String tenant, String sha256) {
    return signer
        .orElseThrow(() -> new IllegalStateException(KEY_SETTING + " is not set"))
        .sign(baseUrl, tenant, sha256);
  }

  /** Whether a presented URL's parts carry a valid, unexpired signature of this gateway. */
  public boolean permits(String sha256, String tenant, String expires, String signature) {
    return signer.map(s -> s.verify(sha256, tenant, expires, signature)).orElse(false);
  }
}
