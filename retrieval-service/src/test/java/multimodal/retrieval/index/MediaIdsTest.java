package multimodal.retrieval.index;

import static multimodal.retrieval.index.IndexFields.MEDIA_ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

class MediaIdsTest {
  @Test
  void resolvesIdsInHitOrderFromDocValuesAndFromSegmentsWrittenWithoutThem() throws IOException {
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriter writer =
            new IndexWriter(
                dir,
                new IndexWriterConfig(new StandardAnalyzer())
                    .setMergePolicy(NoMergePolicy.INSTANCE))) {
      // Segment 0: as written before the id had doc values (stored field only).
      for (String id : new String[] {"old-a", "old-b"}) {
        Document doc = new Document();
        doc.add(new StringField(MEDIA_ID, id, Field.Store.YES));
        writer.addDocument(doc);
      }
      writer.commit();
      // Segment 1: as written now.
      for (String id : new String[] {"new-a", "new-b", "new-c"}) {
        writer.addDocument(MediaDocuments.toDocument(new MediaItem(id, "t")));
      }
      writer.commit();
      try (DirectoryReader reader = DirectoryReader.open(writer)) {
        assertThat(reader.leaves()).hasSize(2);
        ScoreDoc[] hits = {
          new ScoreDoc(4, 1f),
          new ScoreDoc(1, 0.9f),
          new ScoreDoc(2, 0.8f),
          new ScoreDoc(0, 0.7f),
          new ScoreDoc(3, 0.6f)
        };

        assertThat(MediaIds.of(reader, hits, 5))
            .containsExactly("new-c", "old-b", "new-a", "old-a", "new-b");
        assertThat(MediaIds.of(reader, hits, 2)).containsExactly("new-c", "old-b");
      }
    }
  }
}
