package multimodal.generator;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import multimodal.generator.config.GeneratorConfig;

/**
 * Bounds work on the models: {@code maxConcurrent} run, up to {@code maxQueued} wait, the rest are
 * refused at once with {@link BusyException} (RESOURCE_EXHAUSTED) instead of piling up. The CDI
 * bean bounds generations; other callers (e.g. Analyze) make their own with their own numbers.
 */
@Singleton
public class GenerationSlots {
  private final Semaphore running;
  private final int maxWaiting;
  private final String busyMessage;
  private final AtomicInteger waiting = new AtomicInteger();

  @Inject
  public GenerationSlots(GeneratorConfig config) {
    this(
        Math.max(1, config.maxConcurrent()),
        Math.max(0, config.maxQueued()),
        "too many generations queued; retry later");
  }

  /**
   * @param busyMessage the refusal's message: what is full, and the setting that bounds it
   */
  public GenerationSlots(int maxConcurrent, int maxQueued, String busyMessage) {
    if (maxConcurrent < 1 || maxQueued < 0) {
      throw new IllegalArgumentException(
          "slots need at least 1 running and 0 waiting, got "
              + maxConcurrent
              + " and "
              + maxQueued);
    }
    this.running = new Semaphore(maxConcurrent, true);
    this.maxWaiting = maxQueued;
    this.busyMessage = busyMessage;
  }

  /** Runs {@code work} in a slot (blocking the calling worker thread while it waits). */
  public <T> T run(Supplier<T> work) {
    if (waiting.incrementAndGet() > maxWaiting + running.availablePermits()) {
      waiting.decrementAndGet();
      throw new BusyException(busyMessage);
    }
    try {
      running.acquire();
    } catch (InterruptedException e) {
      waiting.decrementAndGet();
      Thread.currentThread().interrupt();
      throw new BusyException("interrupted while waiting for a generation slot");
    }
    waiting.decrementAndGet();
    try {
      return work.get();
    } finally {
      running.release();
    }
  }
}
