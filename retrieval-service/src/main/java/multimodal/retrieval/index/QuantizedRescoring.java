package multimodal.retrieval.index;

import java.io.IOException;
import java.util.Set;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;

/**
 * Exact scores for the candidates of a quantised graph search. The int8 HNSW formats score by their
 * codes; they keep the float vectors beside them, so the candidates (ef of them, a few hundred) are
 * rescored with the float vectors by Lucene's full-precision rescorer, as Elasticsearch's rescoring
 * of quantised kNN does. The exact top k comes from the rescored candidates.
 */
final class QuantizedRescoring {
  /**
   * The per-field format names of the quantised HNSW formats: Lucene 10's, and Lucene 9's that an
   * index written before the upgrade holds until its segments are merged.
   */
  private static final Set<String> QUANTIZED_FORMATS =
      Set.of(
          Lucene104HnswScalarQuantizedVectorsFormat
              .NAME, // "Lucene104HnswBinaryQuantizedVectorsFormat"
          "Lucene99HnswScalarQuantizedVectorsFormat"); // backward-codecs keeps its NAME

  // package-private

  private QuantizedRescoring() {}

  /**
   * {@code knn} with its top {@code candidates} rescored from the float vectors, where any segment
   * stores {@code field} quantised; {@code knn} itself otherwise (its scores are already exact).
   */
  static Query rescoredIfQuantized(
      IndexSearcher searcher, String field, float[] target, Query knn, int candidates)
      throws IOException {
    if (searcher.getIndexReader().leaves().stream().noneMatch(leaf -> quantized(leaf, field))) {
      return knn;
    }
    // Lucene 10.6's RescoreTopNQuery fails when its query finds nothing (DocAndScoreQuery reads
    // the first hit), as a kNN search does whose filter matches no item (an object no image
    // shows, an empty tenant). So the graph is searched first (a rewrite); rescoring that found
    // set rewrites it again for free, and an empty one is answered as it is.
    Query found = searcher.rewrite(knn);
    if (searcher.count(found) == 0) {
      return found;
    }
    return RescoreTopNQuery.createFullPrecisionRescorerQuery(found, target, field, candidates);
  }

  private static boolean quantized(LeafReaderContext leaf, String field) {
    FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(field);
    return info != null
        && QUANTIZED_FORMATS.contains(
            info.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY));
  }
}
