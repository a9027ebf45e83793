package multimodal.gateway.rest;

/**
 * When a request body is too slow to wait for. Every body gets {@code graceMillis} ({@code
 * gateway.upload.body-timeout}); a body on the upload route, which may be a video of hundreds of
 * MB, may take longer as long as it keeps arriving at {@code minBytesPerSecond} ({@code
 * gateway.upload.min-body-rate}) on average after the grace. A pace rather than a deadline from the
 * declared length: a client that declares 500 MB and then trickles a few bytes a second is cut off
 * a second after the grace, not after the 15 minutes 500 MB would be allowed.
 */
record BodyPace(long graceMillis, long minBytesPerSecond) {
  BodyPace {
    if (graceMillis < 0 || minBytesPerSecond < 1) {
      throw new IllegalArgumentException(
          "grace must not be negative and the pace must be at least 1 byte/s");
    }
  }

  /**
   * @param elapsedMillis since the request's head arrived
   * @param bytesRead of its body so far
   * @param largeBodyRoute whether the route may take a large body at {@code minBytesPerSecond}
   */
  boolean tooSlow(long elapsedMillis, long bytesRead, boolean largeBodyRoute) {
    if (elapsedMillis <= graceMillis) {
      return false;
    }
    if (!largeBodyRoute) {
      return true;
    }
    return bytesRead < (elapsedMillis - graceMillis) * minBytesPerSecond / 1000;
  }
}
