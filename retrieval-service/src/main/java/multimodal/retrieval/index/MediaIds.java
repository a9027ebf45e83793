package multimodal.retrieval.index;

import static multimodal.retrieval.index.IndexFields.MEDIA_ID;
import static multimodal.retrieval.index.IndexFields.MEDIA_ID_VALUES;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.ScoreDoc;

/**
 * Resolves hits to media ids. Reads the id's doc values (a few bytes per hit) rather than its
 * stored field: a stored-field read decompresses a whole block of documents, which cost a quarter
 * of a kNN query's time in the ANN benchmark's profile. Segments written before the doc values
 * existed fall back to the stored field.
 */
final class MediaIds {
  private static final Set<String> ID_ONLY = Set.of(MEDIA_ID);

  private MediaIds() {}

  /** The media ids of {@code hits}, in the order of {@code hits}. */
  static String[] of(IndexReader reader, ScoreDoc[] hits, int count) throws IOException {
    String[] ids = new String[count];
    // Doc values iterate forwards only: visit the hits in doc order, one iterator per segment.
    Integer[] byDoc = new Integer[count];
    Arrays.setAll(byDoc, i -> i);
    Arrays.sort(byDoc, (a, b) -> Integer.compare(hits[a].doc, hits[b].doc));
    List<LeafReaderContext> leaves = reader.leaves();
    int leafIndex = -1;
    SortedDocValues values = null;
    StoredFields stored = null;
    for (int i : byDoc) {
      int doc = hits[i].doc;
      int leaf = ReaderUtil.subIndex(doc, leaves);
      LeafReaderContext context = leaves.get(leaf);
      if (leaf != leafIndex) {
        leafIndex = leaf;
        values = context.reader().getSortedDocValues(MEDIA_ID_VALUES);
        stored = null;
      }
      int local = doc - context.docBase;
      if (values != null && values.advanceExact(local)) {
        ids[i] = values.lookupOrd(values.ordValue()).utf8ToString();
      } else {
        stored = stored == null ? context.reader().storedFields() : stored;
        ids[i] = stored.document(local, ID_ONLY).get(MEDIA_ID);
      }
    }
    return ids;
  }
}
