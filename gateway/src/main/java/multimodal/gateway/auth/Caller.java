package multimodal.gateway.auth;

/**
 * Who made a request: the tenant it acts for and the name of the key used (for logs and rate
 * limits; never the key).
 */
public record Caller(
    String tenant, String keyName, String keyDigest, double ratePerSecond, int burst) {
  @Override
  public String toString() {
    return "Caller[tenant=" + tenant + ", key=" + keyName + "]";
  }
}
