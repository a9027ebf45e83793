package multimodal.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final RateLimiter limiter = new RateLimiter(now::get);

  @Test
  void allowsTheBurstThenAsksToWaitUntilATokenIsBack() {
    assertThat(limiter.acquire("k", 2, 3)).isZero();
    assertThat(limiter.acquire("k", 2, 3)).isZero();
    assertThat(limiter.acquire("k", 2, 3)).isZero();
    assertThat(limiter.acquire("k", 2, 3)).isEqualTo(1); // half a second, rounded up

    now.addAndGet(500_000_000L); // one token back at 2 per second
    assertThat(limiter.acquire("k", 2, 3)).isZero();
    assertThat(limiter.acquire("k", 2, 3)).isEqualTo(1);
  }

  @Test
  void retryAfterReflectsASlowRate() {
    limiter.acquire("slow", 0.01, 1);
    assertThat(limiter.acquire("slow", 0.01, 1)).isEqualTo(100);
  }

  @Test
  void keysHaveTheirOwnBuckets() {
    limiter.acquire("a", 1, 1);
    assertThat(limiter.acquire("a", 1, 1)).isPositive();
    assertThat(limiter.acquire("b", 1, 1)).isZero();
  }

  @Test
  void bucketNeverHoldsMoreThanTheBurst() {
    limiter.acquire("k", 1, 2);
    now.addAndGet(3_600_000_000_000L);
    assertThat(limiter.acquire("k", 1, 2)).isZero();
    assertThat(limiter.acquire("k", 1, 2)).isZero();
    assertThat(limiter.acquire("k", 1, 2)).isPositive();
  }
}
