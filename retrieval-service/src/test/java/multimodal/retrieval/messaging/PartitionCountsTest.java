package multimodal.retrieval.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import multimodal.v1.Topics;
import org.junit.jupiter.api.Test;

/** When the input topics' partition counts let one item's events land on different shards. */
class PartitionCountsTest {

  @Test
  void unequalCountsOverSeveralShardsSplitItemsAndTheWarningNamesThem() {
    PartitionCounts counts = new PartitionCounts(counts(4, 3, 4), 2);

    assertThat(counts.splitsItems()).isTrue();
    assertThat(counts.warning())
        .contains(
            Topics.MEDIA_INGEST
                + "=4, "
                + Topics.MEDIA_EMBEDDING
                + "=3, "
                + Topics.MEDIA_CAPTION
                + "=4")
        .contains("2 shards")
        .contains("Search hits and deletes are per shard document");
  }

  @Test
  void equalCountsOrASingleShardKeepAnItemTogether() {
    assertThat(new PartitionCounts(counts(4, 4, 4), 3).splitsItems()).isFalse();
    assertThat(new PartitionCounts(counts(4, 3, 4), 1).splitsItems()).isFalse();
  }

  @Test
  void unequalCountsThatAreAllMultiplesOfTheShardCountKeepAnItemTogether() {
    // (h mod 4) mod 2 == (h mod 6) mod 2 == h mod 2: the same shard on every topic.
    assertThat(new PartitionCounts(counts(4, 6, 2), 2).splitsItems()).isFalse();
    assertThat(new PartitionCounts(counts(4, 6, 2), 4).splitsItems()).isTrue();
  }

  private static Map<String, Integer> counts(int ingest, int embedding, int caption) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put(Topics.MEDIA_INGEST, ingest);
    counts.put(Topics.MEDIA_EMBEDDING, embedding);
    counts.put(Topics.MEDIA_CAPTION, caption);
    return counts;
  }
}
