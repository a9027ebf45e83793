package multimodal.retrieval.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/**
 * Exact scores for the candidates of an int8 graph search. Lucene 9's scalar-quantised HNSW
 * format scores candidates by their int8 codes and returns those approximate scores; it keeps the
 * float vectors beside the codes, so the candidates (ef of them, a few hundred) are rescored here
 * with their float vectors, as Elasticsearch's rescoring of quantised kNN does. The graph walk reads
 * a quarter of the bytes per visited node; the exact top k comes from the rescored candidates.
 */
final class QuantizedRescorer {
  /** The per-field format name Lucene records for the int8 HNSW format. */
  private static final String QUANTIZED_FORMAT = "Lucene99HnswScalarQuantizedVectorsFormat";

  private QuantizedRescorer() {}

  /**
   * The hits with float-vector scores where their segment stores the field quantised (others keep
   * their exact scores), best first.
   */
  static TopDocs rescore(IndexReader reader, String field, float[] query, TopDocs top) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    if (leaves.stream().noneMatch(leaf -> quantized(leaf, field))) {
      return top;
    }
    // Each segment's float vectors are read in doc id order: FloatVectorValues only advances.
    ScoreDoc[] byDoc = top.scoreDocs.clone();
    Arrays.sort(byDoc, Comparator.comparingInt(h -> h.doc));
    List<ScoreDoc> rescored = new ArrayList<>(byDoc.length);
    FloatVectorValues values = null;
    VectorSimilarityFunction similarity = null;
    int leafIndex = -1;
    LeafReaderContext leaf = null;
    for (ScoreDoc hit : byDoc) {
      int index = ReaderUtil.subIndex(hit.doc, leaves);
      if (index != leafIndex) {
        leafIndex = index;
        leaf = leaves.get(index);
        values = quantized(leaf, field) ? leaf.reader().getFloatVectorValues(field) : null;
        similarity = values == null ? null : leaf.reader().getFieldInfos().fieldInfo(field).getVectorSimilarityFunction();
      }
      float score = hit.score;
      if (values != null && values.advance(hit.doc - leaf.docBase) == hit.doc - leaf.docBase) {
        score = similarity.compare(query, values.vectorValue());
      }
      rescored.add(new ScoreDoc(hit.doc, score, hit.shardIndex));
    }
    rescored.sort(Comparator.comparingDouble((ScoreDoc h) -> h.score).reversed().thenComparingInt(h -> h.doc));
    return new TopDocs(top.totalHits, rescored.toArray(ScoreDoc[]::new));
  }

  private static boolean quantized(LeafReaderContext leaf, String field) {
    FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(field);
    return info != null && QUANTIZED_FORMAT.equals(info.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY));
  }
}
