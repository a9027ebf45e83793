package multimodal.retrieval.index;

import static multimodal.retrieval.index.IndexFields.DELETED;
import static multimodal.retrieval.index.IndexFields.MEDIA_ID;
import static multimodal.retrieval.index.IndexFields.TENANT;

import java.io.IOException;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.Bits;
import org.jboss.logging.Logger;

/**
 * Rewrites an index written before items were keyed by (tenant, media id), once, in place: such an
 * index has one document per media id and no {@link IndexFields#ITEM_KEY}, so every later write by
 * item key would add a second document beside it. Each live item is rewritten with its key (its
 * stored tenant, vectors and text are read back as the updater reads them). Tombstones of that time
 * recorded no tenant, so they cannot be keyed and are dropped: a late embedding, caption or vision
 * event of an item deleted before the upgrade can then create a partial item, as after the
 * tombstone retention; a rebuild from the topics ({@code retrieval.index.rebuild=true}) avoids even
 * that. The caller commits the rewrite together with the schema marker, so a crash during it leaves
 * the old index untouched and the next start migrates again.
 */
final class ItemKeyMigration {
  private static final Logger LOG = Logger.getLogger(ItemKeyMigration.class);

  private ItemKeyMigration() {}

  /** Counts of what was rewritten. */
  record Result(int items, int tombstonesDropped) {}

  static Result run(IndexWriter writer) throws IOException {
    int items = 0;
    int dropped = 0;
    // A point-in-time reader: the rewrites below do not show up in it.
    try (DirectoryReader reader = DirectoryReader.open(writer)) {
      for (LeafReaderContext leaf : reader.leaves()) {
        StoredFields stored = leaf.reader().storedFields();
        Bits live = leaf.reader().getLiveDocs();
        for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
          if (live != null && !live.get(doc)) {
            continue;
          }
          Document document = stored.document(doc);
          // One document per media id in the old layout, so its media id term names exactly it.
          Term old = new Term(MEDIA_ID, document.get(MEDIA_ID));
          if (document.getField(DELETED) != null && document.get(TENANT) == null) {
            writer.deleteDocuments(old);
            dropped++;
          } else {
            writer.updateDocuments(
                old, MediaDocuments.toDocuments(MediaDocuments.toItem(document)));
            items++;
          }
        }
      }
    }
    LOG.infof(
        "index keyed by (tenant, media id) now: %d items rewritten, %d tenant-less tombstones"
            + " dropped",
        items, dropped);
    return new Result(items, dropped);
  }
}
