package multimodal.gateway.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per API key: {@code burst} requests at once, refilled at {@code perSecond}.
 * Written here because Bucket4j is not available from our package registry mirror, and the
 * whole algorithm is a dozen lines; per gateway instance (N replicas allow N times the rate).
 */
public class RateLimiter {
  private final LongSupplier clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(LongSupplier nanoClock) {
    this.clock = nanoClock;
  }

  /**
   * Takes one token from the key's bucket: 0 when allowed, else the whole seconds until a token
   * is there (at least 1). A key's rate and burst are fixed by its first call.
   */
  public long acquire(String key, double perSecond, int burst) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
    return buckets.computeIfAbsent(key, k -> new Bucket(perSecond / 1e9, burst, clock.getAsLong())).take();
  }

  private final class Bucket {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long updated;

    Bucket(double perNano, double burst, long now) {
      this.perNano = perNano;
      this.burst = burst;
      this.tokens = burst;
      this.updated = now;
    }

    synchronized long take() {
      long now = clock.getAsLong();
      tokens = Math.min(burst, tokens + (now - updated) * perNano);
      updated = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      double waitNanos = (1 - tokens) / perNano;
      return Math.max(1, (long) Math.ceil(waitNanos / 1e9));
    }
  }
}
