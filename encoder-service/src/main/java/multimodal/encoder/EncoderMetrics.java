package multimodal.encoder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;

/** Counters and timers of encoder-service, exported at /q/metrics. */
@Singleton
public class EncoderMetrics {
  private final MeterRegistry registry;
  private final Counter embedded;

  public EncoderMetrics(MeterRegistry registry) {
    this.registry = registry;
    // Registered up front so that dashboards see 0 rather than nothing.
    this.embedded = Counter.builder("encoder.media.embedded").register(registry);
  }

  /** A media item from Kafka was embedded and its event acknowledged by the broker. */
  public void embedded() {
    embedded.increment();
  }

  /** A media item from Kafka went to the dead-letter topic. */
  public void failed(String reason) {
    Counter.builder("encoder.media.failed").tag("reason", reason).register(registry).increment();
  }

  /** Time of one session run (a batch), by model and tower. */
  public void inference(String model, String modality, long nanos) {
    Timer.builder("encoder.inference")
        .tag("model", model)
        .tag("modality", modality)
        .register(registry)
        .record(Duration.ofNanos(nanos));
  }
}
