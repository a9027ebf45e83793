package multimodal.retrieval.index;

import static multimodal.retrieval.index.IndexFields.DELETED_AT;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.Query;

/**
 * Deletes the tombstones of items deleted longer than the retention ago (a tombstone stops late
 * events of other topics from resurrecting a deleted item, for that long). Tombstones written
 * before deletion times were recorded have none and are kept. Runs under the index's write lock.
 */
final class TombstonePurge {
  private final Duration retention;
  private long purged;

  /**
   * @param retention null keeps tombstones forever
   */
  TombstonePurge(Duration retention) {
    this.retention = retention;
  }

  void run(IndexWriter writer, NrtSearchers searchers) throws IOException {
    if (retention == null) {
      return;
    }
    long before = MediaDocuments.micros(Instant.now().minus(retention));
    Query expired = LongPoint.newRangeQuery(DELETED_AT, Long.MIN_VALUE, before - 1);
    int count = searchers.withSearcher(searcher -> searcher.count(expired));
    if (count > 0) {
      writer.deleteDocuments(expired);
      searchers.written();
      purged += count;
    }
  }

  /** Tombstones purged since the index was opened. */
  long purged() {
    return purged;
  }
}
