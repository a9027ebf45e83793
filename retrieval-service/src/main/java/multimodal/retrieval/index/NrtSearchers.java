package multimodal.retrieval.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;

/**
 * Near-real-time searchers over the index writer, with read-your-writes: a search refreshes only
 * when a write happened since the last refresh, so concurrent searches do not queue on the refresh
 * lock (and the writer) when nothing changed.
 */
final class NrtSearchers {
  private final SearcherManager searchers;
  private final BooleanSupplier open;
  // Writes made, and writes the searcher has seen.
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong refreshedWrites = new AtomicLong();

  /**
   * @param open whether the index is open; searching a closed index is refused
   */
  NrtSearchers(IndexWriter writer, BooleanSupplier open) throws IOException {
    this.searchers = new SearcherManager(writer, new SearcherFactory());
    this.open = open;
  }

  /** Work on one searcher. */
  interface SearcherFunction<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  /** Notes a change to the writer's documents (or segments): the next search refreshes. */
  void written() {
    writes.incrementAndGet();
  }

  <T> T withSearcher(SearcherFunction<T> work) {
    if (!open.getAsBoolean()) {
      throw new IllegalStateException("index is closed");
    }
    try {
      long seen = writes.get();
      if (refreshedWrites.get() < seen) {
        searchers.maybeRefreshBlocking();
        refreshedWrites.accumulateAndGet(seen, Math::max);
      }
      IndexSearcher searcher = searchers.acquire();
      try {
        return work.apply(searcher);
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void close() throws IOException {
    searchers.close();
  }
}
