package multimodal.retrieval.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells when a replay (a replica reading its partitions from the beginning: a rebuild, or an index
 * without stored offsets) has caught up: every position reached the end offset its partition had
 * when the replay began. Records produced later do not move that mark, so a busy topic cannot keep
 * a replay from ever ending. Used by the consumer thread only.
 */
final class ReplayCatchUp {
  private Map<TopicPartition, Long> ends;
  private long startNanos;

  /** Starts the replay with the end offsets of the partitions assigned at start. */
  void begin(Map<TopicPartition, Long> endOffsets) {
    ends = Map.copyOf(endOffsets);
    startNanos = System.nanoTime();
  }

  boolean began() {
    return ends != null;
  }

  /** True when every position reached its end offset (an empty partition has reached 0 already). */
  boolean reached(ToLongFunction<TopicPartition> position) {
    if (ends == null) {
      return false;
    }
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (position.applyAsLong(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
