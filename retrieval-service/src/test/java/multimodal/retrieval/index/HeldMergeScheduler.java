package multimodal.retrieval.index;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.MergePolicy;

/**
 * Lucene's merge scheduler with a brake: once {@link #hold()} is called, every merge waits on its
 * merge thread until {@link #release()} (or until Lucene aborts it, as a close does). Tests use it
 * to keep a force-merge running for as long as they need, however fast the machine merges.
 */
final class HeldMergeScheduler extends ConcurrentMergeScheduler {
  private static final long MAX_HOLD_SECONDS = 60; // a forgotten release fails, never hangs

  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile boolean holding;

  void hold() {
    holding = true;
  }

  void release() {
    released.countDown();
  }

  /** Waits until a held merge has started on its thread. */
  boolean awaitMergeStarted(long seconds) throws InterruptedException {
    return started.await(seconds, TimeUnit.SECONDS);
  }

  @Override
  protected void doMerge(MergeSource mergeSource, MergePolicy.OneMerge merge) throws IOException {
    if (holding) {
      started.countDown();
      waitForRelease(merge);
    }
    super.doMerge(mergeSource, merge);
  }

  private void waitForRelease(MergePolicy.OneMerge merge) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_HOLD_SECONDS);
    try {
      while (!merge.isAborted() && !released.await(10, TimeUnit.MILLISECONDS)) {
        if (System.nanoTime() > deadline) {
          throw new IOException("merge held for over " + MAX_HOLD_SECONDS + " s: no release()");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while held", e);
    }
  }
}
