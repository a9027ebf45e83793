package multimodal.encoder.batching;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Lets at most {@code permits} images be decoded and preprocessed at once, first come first served,
 * however many requests and records arrive together. Each request thread decodes its own image, so
 * without a bound 32 concurrent calls decode 32 images at once on two cores: the model's intra-op
 * threads then wait behind 32 runnable decoders in the middle of every batch, and up to 32 decoded
 * bitmaps (several MB each) live long enough to be copied by the garbage collector. With as many
 * decoders as cores, each image is preprocessed in one go and handed to the batcher at once.
 *
 * <p>Plain Java (no Quarkus).
 */
public final class PreprocessingGate {
  private final Semaphore permits;
  private final AtomicInteger admitted = new AtomicInteger();

  /**
   * @param permits images preprocessed at once; 0 or less means one per available processor
   */
  public PreprocessingGate(int permits) {
    this.permits =
        new Semaphore(permits > 0 ? permits : Runtime.getRuntime().availableProcessors(), true);
  }

  /**
   * Runs {@code work} once a permit is free.
   *
   * @param deadlineNanos a {@link System#nanoTime()} after which waiting is pointless, or {@code
   *     Long.MAX_VALUE}
   * @throws DeadlineExpiredException when the deadline passes while waiting
   */
  public <T> T run(Supplier<T> work, long deadlineNanos) {
    admitted.incrementAndGet();
    try {
      return runAdmitted(work, deadlineNanos);
    } finally {
      admitted.decrementAndGet();
    }
  }

  /**
   * Images waiting for a permit or being preprocessed now: the items a batcher may soon receive
   * ({@link DynamicBatcher.Fill}).
   */
  public int inProgress() {
    return admitted.get();
  }

  private <T> T runAdmitted(Supplier<T> work, long deadlineNanos) {
    try {
      if (deadlineNanos == Long.MAX_VALUE) {
        permits.acquire();
      } else if (!permits.tryAcquire(
          Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new DeadlineExpiredException("deadline passed while waiting to preprocess");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.util.concurrent.CancellationException("interrupted");
    }
    try {
      return work.get();
    } finally {
      permits.release();
    }
  }
}
