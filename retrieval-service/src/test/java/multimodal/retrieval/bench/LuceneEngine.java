package multimodal.retrieval.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import multimodal.retrieval.index.LuceneMediaIndex;

/**
 * Lucene HNSW through the service's own {@link LuceneMediaIndex#knn} (query object, searcher, media
 * ids from doc values), as a search request runs it; the query threads take the next query from a
 * shared counter, as hnswlib's and faiss's batch searches do.
 */
final class LuceneEngine implements QueryEngine {
  private final String name;
  private final LuceneMediaIndex index;
  private final String field;
  private final float[][] queries;
  private final int[][] truth;
  private final int k;

  LuceneEngine(
      String name, LuceneMediaIndex index, String field, float[][] queries, int[][] truth, int k) {
    this.name = name;
    this.index = index;
    this.field = field;
    this.queries = queries;
    this.truth = truth;
    this.k = k;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Pass run(int ef, int threads, int count) throws Exception {
    int[][] found = new int[count][];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      long start = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    List<LuceneMediaIndex.Scored> hits =
                        index.knn(field, queries[i], k, ef, null, Float.NEGATIVE_INFINITY);
                    found[i] = hits.stream().mapToInt(h -> Integer.parseInt(h.mediaId())).toArray();
                  }
                }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
      double secs = (System.nanoTime() - start) / 1e9;
      return new Pass(count / secs, recall(found));
    } finally {
      pool.shutdown();
    }
  }

  private double recall(int[][] found) {
    long hits = 0;
    for (int i = 0; i < found.length; i++) {
      Set<Integer> exact = new HashSet<>();
      for (int j = 0; j < k; j++) {
        exact.add(truth[i][j]);
      }
      for (int id : found[i]) {
        if (exact.contains(id)) {
          hits++;
        }
      }
    }
    return (double) hits / ((long) found.length * k);
  }
}
