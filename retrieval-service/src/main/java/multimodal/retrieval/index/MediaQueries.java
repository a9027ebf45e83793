package multimodal.retrieval.index;

import static multimodal.retrieval.index.IndexFields.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.index.LuceneMediaIndex.Scored;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermStatistics;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.join.DiversifyingChildrenFloatKnnVectorQuery;
import org.apache.lucene.util.QueryBuilder;

/**
 * The index's two searches: approximate kNN over a vector field (for image vectors also over the
 * keyframes of videos) and BM25 over the text fields (optionally scored with statistics summed over
 * shards), and the per-shard BM25 statistics a fan-out sums. Results are ordered by score, then
 * media id, so ties come in the same order on one index and over shards.
 */
final class MediaQueries {
  private final NrtSearchers searchers;
  private final Analyzer analyzer;
  private final KeyframeBlocks blocks = new KeyframeBlocks();

  MediaQueries(NrtSearchers searchers, Analyzer analyzer) {
    this.searchers = searchers;
    this.analyzer = analyzer;
  }

  /**
   * Approximate kNN (HNSW) over one vector field, restricted by a filter; cosine scores, best
   * first. Empty when the field does not exist.
   *
   * @param unit a unit-length query vector of the field's dimension
   * @param efSearch candidates explored (at least k); Lucene's {@code k} of the HNSW search
   * @param filter restricts the candidates; null for none (the benchmark)
   */
  List<Scored> knn(String field, float[] unit, int k, int efSearch, Query filter, float minCosine) {
    return searchers.withSearcher(
        searcher -> {
          int candidates = Math.max(k, efSearch);
          KnnFloatVectorQuery knn =
              filter == null
                  ? new KnnFloatVectorQuery(field, unit, candidates)
                  : new KnnFloatVectorQuery(field, unit, candidates, filter);
          return knnHits(searcher, field, unit, knn, candidates, k, minCosine, false);
        });
  }

  /**
   * kNN over an image model's item vectors and, diversified to the best keyframe of each video,
   * over its keyframe vectors; each item scores with the better of the two (a video by its best
   * scene, or by its mean where that is closer). Exact fold: an item of the true top k by that
   * score is in the top k of the search its score comes from.
   */
  List<Scored> imageKnn(
      ModelVersion model, float[] unit, int k, int efSearch, Query filter, float minCosine) {
    return searchers.withSearcher(
        searcher -> {
          int candidates = Math.max(k, efSearch);
          String itemField = vectorField(model);
          KnnFloatVectorQuery items =
              filter == null
                  ? new KnnFloatVectorQuery(itemField, unit, candidates)
                  : new KnnFloatVectorQuery(itemField, unit, candidates, filter);
          List<Scored> byItem =
              knnHits(searcher, itemField, unit, items, candidates, k, minCosine, false);
          String keyframeField = keyframeVectorField(model);
          if (!hasField(searcher, keyframeField)) {
            return byItem; // no video of this model: the item search alone, as before
          }
          Query keyframes =
              new DiversifyingChildrenFloatKnnVectorQuery(
                  keyframeField, unit, blocks.keyframesOf(filter), candidates, blocks.parents());
          List<Scored> byKeyframe =
              knnHits(searcher, keyframeField, unit, keyframes, candidates, k, minCosine, true);
          return bestOfEach(byItem, byKeyframe, k);
        });
  }

  /**
   * A kNN query's best k as cosines, at least {@code minCosine}; exact scores where the field is
   * quantised. {@code keyframes}: the hits are keyframe documents, named by their items.
   */
  private List<Scored> knnHits(
      IndexSearcher searcher,
      String field,
      float[] unit,
      Query knn,
      int candidates,
      int k,
      float minCosine,
      boolean keyframes)
      throws IOException {
    Query scored = QuantizedRescoring.rescoredIfQuantized(searcher, field, unit, knn, candidates);
    TopDocs found = searcher.search(scored, candidates);
    if (keyframes) {
      blocks.toItems(searcher.getIndexReader(), found.scoreDocs);
    }
    List<Scored> hits = new ArrayList<>();
    for (Scored hit : top(searcher, found, k)) {
      float cosine = Vectors.cosineFromDotProductScore(hit.score());
      if (cosine < minCosine) {
        break; // best first
      }
      hits.add(new Scored(hit.mediaId(), cosine));
    }
    return hits;
  }

  private static boolean hasField(IndexSearcher searcher, String field) {
    return searcher.getIndexReader().leaves().stream()
        .anyMatch(leaf -> leaf.reader().getFieldInfos().fieldInfo(field) != null);
  }

  /** Each media id once with its better score; best first, then by media id; the first k. */
  private static List<Scored> bestOfEach(List<Scored> a, List<Scored> b, int k) {
    Map<String, Float> best = new HashMap<>();
    for (List<Scored> list : List.of(a, b)) {
      for (Scored hit : list) {
        best.merge(hit.mediaId(), hit.score(), Math::max);
      }
    }
    List<Scored> hits = new ArrayList<>(best.size());
    best.forEach((id, score) -> hits.add(new Scored(id, score)));
    hits.sort(LuceneMediaIndex.BY_SCORE_THEN_ID);
    return hits.size() > k ? new ArrayList<>(hits.subList(0, k)) : hits;
  }

  /**
   * BM25 over captions, OCR text, object labels and metadata, restricted by a filter; best first.
   *
   * @param statistics statistics to score with instead of this index's own (a fan-out's sum over
   *     all shards); null for the index's own
   */
  List<Scored> bm25(String text, int k, Query filter, Bm25Statistics statistics) {
    Query anyField = bm25Query(text);
    if (anyField == null) {
      return List.of(); // only stop words or punctuation
    }
    Query query =
        new BooleanQuery.Builder()
            .add(anyField, BooleanClause.Occur.MUST)
            .add(filter, BooleanClause.Occur.FILTER)
            .build();
    return searchers.withSearcher(
        local -> {
          IndexSearcher searcher =
              statistics == null ? local : new GlobalStatisticsSearcher(local, statistics);
          // One more than k tells whether the k-th score ties with the next; widen until it does
          // not.
          int n = k + 1;
          TopDocs top = searcher.search(query, n);
          while (top.scoreDocs.length == n
              && top.scoreDocs[n - 1].score == top.scoreDocs[k - 1].score) {
            n = Math.min(2 * n, Math.max(searcher.getIndexReader().maxDoc(), k + 1));
            if (n <= top.scoreDocs.length) {
              break;
            }
            top = searcher.search(query, n);
          }
          return top(searcher, top, k);
        });
  }

  List<Scored> bm25(String text, int k, Query filter) {
    return bm25(text, k, filter, null);
  }

  /**
   * This index's BM25 statistics of the terms of a text query: what a fan-out sums over the shards.
   * Whole-index figures (the filter does not change BM25 statistics on one index either).
   */
  Bm25Statistics bm25Statistics(String text) {
    Query anyField = bm25Query(text);
    if (anyField == null) {
      return Bm25Statistics.EMPTY;
    }
    Set<Term> terms = new LinkedHashSet<>();
    anyField.visit(QueryVisitor.termCollector(terms));
    return searchers.withSearcher(
        searcher -> {
          IndexReader reader = searcher.getIndexReader();
          Map<String, CollectionStatistics> fields = new LinkedHashMap<>();
          Map<Term, TermStatistics> termStatistics = new LinkedHashMap<>();
          for (Term term : terms) {
            int docCount = reader.getDocCount(term.field());
            if (docCount > 0 && !fields.containsKey(term.field())) {
              fields.put(
                  term.field(),
                  new CollectionStatistics(
                      term.field(),
                      reader.maxDoc(),
                      docCount,
                      reader.getSumTotalTermFreq(term.field()),
                      reader.getSumDocFreq(term.field())));
            }
            int docFreq = reader.docFreq(term);
            if (docFreq > 0) {
              termStatistics.put(
                  term, new TermStatistics(term.bytes(), docFreq, reader.totalTermFreq(term)));
            }
          }
          return new Bm25Statistics(fields, termStatistics);
        });
  }

  /**
   * The analysed text query over caption, OCR text, object labels, transcript and metadata; null
   * when nothing is left.
   */
  private Query bm25Query(String text) {
    QueryBuilder builder = new QueryBuilder(analyzer);
    BooleanQuery.Builder anyField = new BooleanQuery.Builder();
    boolean any = false;
    for (String field : List.of(CAPTION, OCR_TEXT, OBJECTS_TEXT, TRANSCRIPT_TEXT, METADATA_TEXT)) {
      Query q = builder.createBooleanQuery(field, text, BooleanClause.Occur.SHOULD);
      if (q != null) {
        anyField.add(q, BooleanClause.Occur.SHOULD);
        any = true;
      }
    }
    return any ? anyField.build() : null;
  }

  /**
   * The best k of some top docs, ordered by score and then media id (not by Lucene's doc id), so
   * equal scores come in the same order on one index and over shards. Reads the ids of the first k
   * docs and of those beyond k that tie with the k-th.
   */
  private static List<Scored> top(IndexSearcher searcher, TopDocs top, int k) throws IOException {
    int count = 0;
    while (count < top.scoreDocs.length
        && (count < k || top.scoreDocs[count].score == top.scoreDocs[k - 1].score)) {
      count++;
    }
    String[] ids = MediaIds.of(searcher.getIndexReader(), top.scoreDocs, count);
    List<Scored> hits = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      hits.add(new Scored(ids[i], top.scoreDocs[i].score));
    }
    hits.sort(LuceneMediaIndex.BY_SCORE_THEN_ID);
    return hits.size() > k ? new ArrayList<>(hits.subList(0, k)) : hits;
  }

  /** Scores with given (summed) BM25 statistics where it has them, else with its own. */
  private static final class GlobalStatisticsSearcher extends IndexSearcher {
    private final Bm25Statistics statistics;

    GlobalStatisticsSearcher(IndexSearcher local, Bm25Statistics statistics) {
      super(local.getIndexReader());
      setSimilarity(local.getSimilarity());
      setQueryCache(null);
      this.statistics = statistics;
    }

    @Override
    public TermStatistics termStatistics(Term term, int docFreq, long totalTermFreq)
        throws IOException {
      TermStatistics global = statistics.terms().get(term);
      return global != null ? global : super.termStatistics(term, docFreq, totalTermFreq);
    }

    @Override
    public CollectionStatistics collectionStatistics(String field) throws IOException {
      CollectionStatistics global = statistics.fields().get(field);
      return global != null ? global : super.collectionStatistics(field);
    }
  }
}
