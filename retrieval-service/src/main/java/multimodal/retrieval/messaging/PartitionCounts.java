package multimodal.retrieval.messaging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The partition count of each input topic, and whether an item's events can land on different
 * shards. A record keyed by media id goes to partition h mod count (Kafka's default partitioner),
 * which shard (h mod count) mod N owns: the same shard on every topic when the counts are equal, or
 * when every count is a multiple of N; otherwise not.
 */
public record PartitionCounts(Map<String, Integer> byTopic, int shardCount) {
  public PartitionCounts {
    byTopic = Collections.unmodifiableMap(new LinkedHashMap<>(byTopic));
  }

  /**
   * True when an item's ingest event, embeddings, caption and vision event may sit on different
   * shards.
   */
  public boolean splitsItems() {
    if (shardCount < 2 || byTopic.values().stream().distinct().count() < 2) {
      return false;
    }
    return byTopic.values().stream().anyMatch(count -> count % shardCount != 0);
  }

  /** What an operator needs to know when {@link #splitsItems()}. */
  public String warning() {
    String counts =
        byTopic.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", "));
    return "input topics have different partition counts (%s) over %d shards: an item's ingest event, embeddings, caption and vision event may be on different shards. GetMedia, RankTexts, Classify and Rerank merge its parts, but Search hits and deletes are per shard document; give the topics equal partition counts (or multiples of %d)"
        .formatted(counts, shardCount, shardCount);
  }
}
