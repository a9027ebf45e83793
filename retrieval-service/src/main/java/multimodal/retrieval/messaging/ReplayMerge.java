package multimodal.retrieval.messaging;

import java.time.Duration;
import multimodal.retrieval.index.LuceneMediaIndex;
import org.jboss.logging.Logger;

/**
 * Force-merges the index once after a replay caught up. A replay leaves many segments, each with
 * its own HNSW graph that every kNN query searches (at 1M vectors, one segment instead of two cut
 * the gRPC p99 from ~19 to ~15 ms). The merge runs on its own thread and {@link
 * LuceneMediaIndex#forceMerge} holds no lock while merging, so records keep being applied and
 * searches keep running; closing the index aborts a merge still running. The merge is recorded as
 * due in the index ({@link LuceneMediaIndex#setMergePending}) before it starts and cleared by the
 * commit of the merged segments, so a merge a shutdown interrupted is resumed by the next start.
 */
public final class ReplayMerge {
  private static final Logger LOG = Logger.getLogger(ReplayMerge.class);

  /** IDLE until a replay caught up (forever on a start from stored offsets with no merge due). */
  public enum State {
    IDLE,
    SKIPPED,
    MERGING,
    MERGED,
    FAILED
  }

  private final LuceneMediaIndex index;
  private final int targetSegments;
  private final String threadName;
  private volatile State state = State.IDLE;
  private volatile double seconds;

  /**
   * @param targetSegments segments to merge down to; 0 = never merge
   */
  ReplayMerge(LuceneMediaIndex index, int targetSegments, String threadName) {
    this.index = index;
    this.targetSegments = targetSegments;
    this.threadName = threadName;
  }

  public State state() {
    return state;
  }

  /** Seconds the force-merge took (0 until one finished). */
  public double seconds() {
    return seconds;
  }

  /**
   * Called once, on the consumer thread, when the replay caught up and its positions are committed:
   * starts the merge when it is on, the replay indexed something (or an interrupted merge is due)
   * and the index has more segments than the target.
   */
  void caughtUp(long records, long indexed, Duration took) {
    int segments = index.segmentCount();
    double replaySeconds = took.toMillis() / 1000.0;
    boolean resumed = index.mergePending(); // a merge the last shutdown interrupted
    String skip = reasonToSkip(indexed, segments, resumed);
    if (skip != null) {
      LOG.infof(
          "replay caught up: %d records in %.1f s; not force-merging (%s)",
          records, replaySeconds, skip);
      index.setMergePending(false);
      state = State.SKIPPED;
      return;
    }
    LOG.infof(
        "%s: %d records in %.1f s; force-merging %d segments to %d",
        resumed ? "caught up, resuming the force-merge a shutdown interrupted" : "replay caught up",
        records,
        replaySeconds,
        segments,
        targetSegments);
    index.setMergePending(
        true); // committed: a shutdown during the merge leaves it to the next start
    state = State.MERGING;
    Thread thread = new Thread(() -> merge(segments), threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** Why no merge is needed, or null. */
  private String reasonToSkip(long indexed, int segments, boolean resumed) {
    if (targetSegments == 0) {
      return "merge-after-replay-segments is 0";
    }
    if (indexed == 0 && !resumed) {
      return "nothing indexed";
    }
    return segments <= targetSegments
        ? "segments: " + segments + ", target: " + targetSegments
        : null;
  }

  private void merge(int before) {
    long start = System.nanoTime();
    try {
      index.forceMerge(targetSegments);
      seconds = (System.nanoTime() - start) / 1e9;
      LOG.infof(
          "force-merge after replay done: %d segments before, %d after, %.1f s",
          before, index.segmentCount(), seconds);
      state = State.MERGED;
    } catch (RuntimeException e) {
      state = State.FAILED;
      if (!index.isOpen()) {
        LOG.infof(
            "force-merge after replay abandoned after %.1f s: the index was closed",
            (System.nanoTime() - start) / 1e9);
      } else {
        LOG.warnf(
            e,
            "force-merge after replay failed; the index keeps its %d segments (slower kNN, nothing"
                + " lost)",
            before);
      }
    }
  }
}
