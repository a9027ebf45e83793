package multimodal.generator.vision;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import multimodal.generator.BusyException;

/**
 * At most {@code limit} caller requests in flight (running or waiting for the vision pool); the next
 * one is refused at once with {@link BusyException} (RESOURCE_EXHAUSTED) instead of queueing
 * without end behind the ingest consumer's images.
 */
final class CallLimit {
  private final Semaphore permits;
  private final int limit;

  CallLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("the call limit must be at least 1, got " + limit);
    }
    this.limit = limit;
    this.permits = new Semaphore(limit);
  }

  <T> T run(Supplier<T> work) {
    if (!permits.tryAcquire()) {
      throw new BusyException(
          limit + " Analyze calls already wait for the vision models (generator.vision.max-calls); retry later");
    }
    try {
      return work.get();
    } finally {
      permits.release();
    }
  }
}
