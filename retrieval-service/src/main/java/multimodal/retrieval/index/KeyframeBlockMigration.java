package multimodal.retrieval.index;

import static multimodal.retrieval.index.IndexFields.ITEM_KEY;
import static multimodal.retrieval.index.IndexFields.KEYFRAMES;

import java.io.IOException;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.Bits;
import org.jboss.logging.Logger;

/**
 * Rewrites, once, the videos of an index written before keyframes had their own documents: such a
 * video stores its keyframes on its item document only, so a kNN query would rank it by its mean
 * vector alone. Each item that stores keyframes is rewritten as its block ({@link
 * MediaDocuments#toDocuments}); segments without any stored keyframes (image-only indexes) are not
 * read. The caller commits the rewrite together with the schema marker, so a crash during it leaves
 * the old index untouched and the next start migrates again.
 */
final class KeyframeBlockMigration {
  private static final Logger LOG = Logger.getLogger(KeyframeBlockMigration.class);
  private static final Set<String> KEYFRAMES_ONLY = Set.of(KEYFRAMES);

  private KeyframeBlockMigration() {}

  /** The number of videos rewritten. */
  static int run(IndexWriter writer) throws IOException {
    int videos = 0;
    // A point-in-time reader: the rewrites below do not show up in it.
    try (DirectoryReader reader = DirectoryReader.open(writer)) {
      for (LeafReaderContext leaf : reader.leaves()) {
        if (leaf.reader().getFieldInfos().fieldInfo(KEYFRAMES) == null) {
          continue; // no document of this segment stores keyframes
        }
        StoredFields stored = leaf.reader().storedFields();
        Bits live = leaf.reader().getLiveDocs();
        for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
          if ((live != null && !live.get(doc))
              || stored.document(doc, KEYFRAMES_ONLY).getField(KEYFRAMES) == null) {
            continue;
          }
          MediaItem item = MediaDocuments.toItem(stored.document(doc));
          writer.updateDocuments(
              new Term(ITEM_KEY, item.key().term()), MediaDocuments.toDocuments(item));
          videos++;
        }
      }
    }
    LOG.infof("keyframes indexed as child documents now: %d videos rewritten", videos);
    return videos;
  }
}
