package multimodal.encoder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import multimodal.encoder.batching.DynamicBatcher;

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

  /**
   * Reports batches of one model and tower: {@code encoder.batch.size} (histogram), {@code
   * encoder.batch.queue} (time each item waited), {@code encoder.inference} (time of the run),
   * {@code encoder.batch.expired} (items dropped at their deadline).
   */
  public DynamicBatcher.BatchListener batchListener(String model, String modality) {
    DistributionSummary size =
        DistributionSummary.builder("encoder.batch.size")
            .tag("model", model)
            .tag("modality", modality)
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
            .register(registry);
    Timer queue =
        Timer.builder("encoder.batch.queue")
            .tag("model", model)
            .tag("modality", modality)
            .register(registry);
    Counter expired =
        Counter.builder("encoder.batch.expired")
            .tag("model", model)
            .tag("modality", modality)
            .register(registry);
    return new DynamicBatcher.BatchListener() {
      @Override
      public void batch(int items, long[] queueNanos, long runNanos) {
        size.record(items);
        for (long waited : queueNanos) {
          queue.record(waited, TimeUnit.NANOSECONDS);
        }
        inference(model, modality, runNanos);
      }

      @Override
      public void expired(int count) {
        expired.increment(count);
      }
    };
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
