package multimodal.systemtest.hostile;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Claim-check URLs as docs/security.md defines them, minted with the gateway's key: the suite knows
 * the key (it configured it), so it can make a URL that is signed right but expired, which no
 * attacker could, to show that expiry alone refuses it.
 */
final class BlobUrls {
  private BlobUrls() {}

  static String signed(String gatewayUrl, String key, String tenant, String sha256, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] sig =
          mac.doFinal(
              ("blob-url-v1\n" + tenant + "\n" + sha256 + "\n" + expires)
                  .getBytes(StandardCharsets.UTF_8));
      return gatewayUrl
          + "/internal/blobs/"
          + sha256
          + "?tenant="
          + tenant
          + "&expires="
          + expires
          + "&sig="
          + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
