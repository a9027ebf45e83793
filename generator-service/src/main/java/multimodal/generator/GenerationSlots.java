package multimodal.generator;

import jakarta.inject.Singleton;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import multimodal.generator.config.GeneratorConfig;

/**
 * Bounds work on the models: {@code maxConcurrent} run, up to {@code maxQueued} wait, the rest are
 * refused at once with {@link BusyException} (RESOURCE_EXHAUSTED) instead of piling up.
 */
@Singleton
public class GenerationSlots {
  private final Semaphore running;
  private final int maxWaiting;
  private final AtomicInteger waiting = new AtomicInteger();

  public GenerationSlots(GeneratorConfig config) {
    this.running = new Semaphore(Math.max(1, config.maxConcurrent()), true);
    this.maxWaiting = Math.max(0, config.maxQueued());
  }

  /** Runs {@code work} in a slot (blocking the calling worker thread while it waits). */
  public <T> T run(Supplier<T> work) {
    if (waiting.incrementAndGet() > maxWaiting + running.availablePermits()) {
      waiting.decrementAndGet();
      throw new BusyException("too many generations queued; retry later");
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
