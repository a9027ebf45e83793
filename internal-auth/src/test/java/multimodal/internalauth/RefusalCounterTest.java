package multimodal.internalauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class RefusalCounterTest {
  @Test
  void countsEachRefusalByReasonAndCaller() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    RefusalCounter counter = new RefusalCounter(meters);

    counter.refused(RefusalReason.BAD_SIGNATURE, "gateway");
    counter.refused(RefusalReason.BAD_SIGNATURE, "gateway");
    counter.refused(RefusalReason.CALLER_NOT_ALLOWED, "unknown");

    assertThat(
            meters
                .counter(
                    RefusalCounter.METRIC,
                    "reason",
                    RefusalReason.BAD_SIGNATURE.label(),
                    "caller",
                    "gateway")
                .count())
        .isEqualTo(2.0);
    assertThat(
            meters
                .counter(
                    RefusalCounter.METRIC,
                    "reason",
                    RefusalReason.CALLER_NOT_ALLOWED.label(),
                    "caller",
                    "unknown")
                .count())
        .isEqualTo(1.0);
  }
}
