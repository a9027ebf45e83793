package multimodal.retrieval.index;

import static multimodal.retrieval.index.IndexFields.ITEM_KEY;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import multimodal.retrieval.ItemKey;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.SourceOffset;
import multimodal.retrieval.VideoSegments;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;

/**
 * Writes items and deletions into the index writer, checking each vector against the dimension its
 * model version has in the index, and records what was written (the model catalog, the Kafka
 * positions) for the next commit. Runs under the index's write lock.
 */
final class ItemWrites {
  private final IndexWriter writer;
  private final NrtSearchers searchers;
  private final ModelCatalog catalog;
  private final CommitData commitData;

  ItemWrites(
      IndexWriter writer, NrtSearchers searchers, ModelCatalog catalog, CommitData commitData) {
    this.writer = writer;
    this.searchers = searchers;
    this.catalog = catalog;
    this.commitData = commitData;
  }

  /**
   * Checks that a vector fits the field of its model version (dimension fixed by the first vector
   * seen).
   *
   * @throws IllegalArgumentException naming the mismatch
   */
  void checkDimension(boolean image, ModelVersion model, int dimension) {
    if (dimension > LuceneMediaIndex.MAX_DIMENSION) {
      throw new IllegalArgumentException(
          "dimension "
              + dimension
              + " exceeds the index maximum "
              + LuceneMediaIndex.MAX_DIMENSION);
    }
    catalog
        .get(image ? ModelCatalog.Kind.IMAGE : ModelCatalog.Kind.TEXT, model)
        .filter(known -> known.dimension() != dimension)
        .ifPresent(
            known -> {
              throw new IllegalArgumentException(
                  "model %s has dimension %d in the index, got %d"
                      .formatted(model, known.dimension(), dimension));
            });
  }

  /**
   * Writes the new state of some items and removes others, and remembers the Kafka records they
   * came from, for the next commit.
   */
  void write(
      Collection<MediaItem> upserts,
      Collection<ItemKey> deletes,
      Collection<SourceOffset> sources) {
    try {
      for (ItemKey key : deletes) {
        writer.deleteDocuments(new Term(ITEM_KEY, key.term())); // the item and its keyframes
        searchers.written();
      }
      for (MediaItem item : upserts) {
        for (MediaItem.StoredVector v : item.imageVectors().values()) {
          checkDimension(true, v.model(), v.vector().length);
        }
        if (item.textVector() != null) {
          checkDimension(false, item.textVector().model(), item.textVector().vector().length);
        }
        if (item.keyframes() != null) {
          for (VideoSegments.Segment segment : item.keyframes().segments()) {
            checkDimension(true, item.keyframes().model(), segment.vector().length);
          }
        }
        // The whole block: a video's keyframe documents and its own, replacing the old block.
        writer.updateDocuments(
            new Term(ITEM_KEY, item.key().term()), MediaDocuments.toDocuments(item));
        searchers.written();
        for (MediaItem.StoredVector v : item.imageVectors().values()) {
          catalog.record(
              ModelCatalog.Kind.IMAGE, v.model(), v.vector().length, MediaDocuments.micros(v.at()));
        }
        if (item.textVector() != null) {
          MediaItem.StoredVector t = item.textVector();
          catalog.record(
              ModelCatalog.Kind.TEXT, t.model(), t.vector().length, MediaDocuments.micros(t.at()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    commitData.applied(sources);
    commitData.changed();
  }
}
