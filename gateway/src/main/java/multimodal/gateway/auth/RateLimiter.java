package multimodal.gateway.auth;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket per API key (Bucket4j): {@code burst} requests at once, refilled continuously at
 * {@code perSecond}. Per gateway instance: N replicas allow N times the rate.
 */
public class RateLimiter {
  private final TimeMeter clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(LongSupplier nanoClock) {
    this.clock =
        new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            return nanoClock.getAsLong();
          }

          @Override
          public boolean isWallClockBased() {
            return false;
          }
        };
  }

  /**
   * Takes one token from the key's bucket: 0 when allowed, else the whole seconds until a token is
   * there (at least 1). A key's rate and burst are fixed by its first call.
   */
  public long acquire(String key, double perSecond, int burst) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
    ConsumptionProbe probe =
        buckets.computeIfAbsent(key, k -> bucket(perSecond, burst)).tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return 0;
    }
    return Math.max(
        1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
  }

  private Bucket bucket(double perSecond, int burst) {
    // One token every 1/rate seconds, added greedily (as it accrues, not in whole periods), so a
    // fractional rate such as 0.5/s is exact.
    Duration perToken = Duration.ofNanos(Math.round(1e9 / perSecond));
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(burst).refillGreedy(1, perToken))
        .withCustomTimePrecision(clock)
        .build();
  }
}
