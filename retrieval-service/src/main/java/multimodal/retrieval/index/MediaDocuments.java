package multimodal.retrieval.index;

import static multimodal.retrieval.index.IndexFields.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.retrieval.KeyframeCaptions;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.Transcript;
import multimodal.retrieval.VideoSegments;
import multimodal.retrieval.Vision;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FloatDocValuesField;
import org.apache.lucene.document.FloatPoint;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;

/** Maps a {@link MediaItem} to its Lucene document and stored fields back. */
final class MediaDocuments {
  private static final String SEP = String.valueOf(IndexFields.SEP);

  private MediaDocuments() {}

  /**
   * The block that stands for an item: one child document per keyframe of a live video (its vector
   * in the keyframe field of the keyframes' model), then the item's own document, last as Lucene's
   * block join wants the parent. Every document has the item key, so updating or deleting by it
   * replaces or removes the whole block.
   */
  static List<Document> toDocuments(MediaItem item) {
    VideoSegments keyframes = item.deleted() ? null : item.keyframes();
    if (keyframes == null || keyframes.segments().isEmpty()) {
      return List.of(toDocument(item));
    }
    List<Document> block = new ArrayList<>(keyframes.segments().size() + 1);
    String field = keyframeVectorField(keyframes.model());
    for (VideoSegments.Segment segment : keyframes.segments()) {
      Document child = new Document();
      child.add(new StringField(ITEM_KEY, item.key().term(), Field.Store.NO));
      child.add(new StringField(KEYFRAME, "1", Field.Store.NO));
      child.add(
          new KnnFloatVectorField(field, segment.vector(), VectorSimilarityFunction.DOT_PRODUCT));
      block.add(child);
    }
    block.add(toDocument(item));
    return block;
  }

  /** The item's own document (without its keyframes' documents: see {@link #toDocuments}). */
  static Document toDocument(MediaItem item) {
    Document doc = new Document();
    doc.add(
        new StringField(ITEM_KEY, item.key().term(), Field.Store.NO)); // the document's identity
    doc.add(new StringField(MEDIA_ID, item.mediaId(), Field.Store.YES));
    doc.add(
        new SortedDocValuesField(
            MEDIA_ID_VALUES, new BytesRef(item.mediaId()))); // hit → id without stored fields
    if (item.deleted()) {
      doc.add(new StoredField(DELETED, 1));
      doc.add(
          new StringField(
              TENANT, item.tenant(), Field.Store.YES)); // no LIVE: still matches no search
      if (item.deletedAt() != null) {
        addTime(doc, DELETED_AT, micros(item.deletedAt())); // for the retention purge
      }
      return doc; // a tombstone: matches no search
    }
    doc.add(new StringField(LIVE, "1", Field.Store.NO));
    doc.add(new StringField(TENANT, item.tenant(), Field.Store.YES));
    doc.add(new StringField(CONTENT_TYPE, item.contentType(), Field.Store.YES));
    StringBuilder text = new StringBuilder();
    item.metadata()
        .forEach(
            (k, v) -> {
              doc.add(new StoredField(META_KEY, k));
              doc.add(new StoredField(META_VALUE, v));
              text.append(v).append('\n');
            });
    doc.add(new TextField(METADATA_TEXT, text.toString(), Field.Store.NO));
    doc.add(new TextField(CAPTION, item.caption(), Field.Store.YES));
    doc.add(new TextField(OCR_TEXT, item.ocrText(), Field.Store.YES));
    doc.add(new StoredField(CAPTION_MODEL, item.captionModel()));
    doc.add(new StoredField(CAPTION_MODEL_FIXTURE, item.captionModelFixture() ? 1 : 0));
    doc.add(new StoredField(OCR_ENGINE, item.ocrEngine()));
    for (String tag : item.tags()) {
      doc.add(new StringField(TAG, tag, Field.Store.YES));
    }
    doc.add(new StoredField(INGEST_SEEN, item.ingestSeen() ? 1 : 0));
    if (item.ingestedAt() != null) {
      addTime(doc, INGESTED_AT, micros(item.ingestedAt()));
    }
    if (item.generatedAt() != null) {
      addTime(doc, GENERATED_AT, micros(item.generatedAt()));
    }
    if (item.vision() != null) {
      addVision(doc, item.vision());
    }
    if (item.transcript() != null) {
      doc.add(new TextField(TRANSCRIPT_TEXT, item.transcript().text(), Field.Store.NO));
      doc.add(new StoredField(TRANSCRIPT, item.transcript().toBytes()));
    }
    if (item.keyframes() != null) {
      doc.add(new StoredField(KEYFRAMES, item.keyframes().toBytes()));
    }
    if (item.keyframeCaptions() != null) {
      doc.add(new StoredField(KEYFRAME_CAPTIONS, item.keyframeCaptions().toBytes()));
    }
    for (MediaItem.StoredVector v : item.imageVectors().values()) {
      addVector(doc, vectorField(v.model()), v.vector());
      doc.add(new StringField(MODEL_KEY, modelKey(v.model()), Field.Store.NO));
      doc.add(
          new StoredField(
              IMAGE_VECTOR_INFO,
              String.join(
                  SEP,
                  v.model().name(),
                  v.model().version(),
                  Long.toString(micros(v.at())),
                  v.fixture() ? "1" : "0")));
    }
    MediaItem.StoredVector t = item.textVector();
    if (t != null) {
      addVector(doc, textVectorField(t.model()), t.vector());
      doc.add(new StringField(MODEL_KEY, modelKey(t.model()), Field.Store.NO));
      doc.add(
          new StoredField(
              TEXT_VECTOR_INFO,
              String.join(
                  SEP, t.model().name(), t.model().version(), Long.toString(micros(t.at())))));
      doc.add(new StoredField(TEXT_VECTOR_SOURCE, item.textVectorSource()));
    }
    return doc;
  }

  private static void addVision(Document doc, Vision vision) {
    List<String> labels = vision.labels();
    doc.add(new TextField(OBJECTS_TEXT, String.join("\n", labels), Field.Store.NO));
    for (String label : labels) {
      doc.add(new StringField(OBJECT, label, Field.Store.NO));
    }
    if (vision.scored()) {
      // A point for the range filter inside kNN and BM25, a doc value for "has a score".
      doc.add(new FloatPoint(UNSAFE_SCORE, vision.unsafeScore()));
      doc.add(new FloatDocValuesField(UNSAFE_SCORE, vision.unsafeScore()));
    }
    doc.add(new StoredField(VISION, vision.toEvent().toByteArray()));
  }

  static MediaItem toItem(Document stored) {
    if (stored.getField(DELETED) != null) {
      // Tombstones written before items were keyed by tenant have none: "" (see ItemKeyMigration).
      MediaItem tombstone = new MediaItem(stored.get(MEDIA_ID), orEmpty(stored.get(TENANT)));
      tombstone.markDeleted(time(stored, DELETED_AT));
      return tombstone;
    }
    MediaItem item = new MediaItem(stored.get(MEDIA_ID), stored.get(TENANT));
    IndexableField seen = stored.getField(INGEST_SEEN);
    item.restore(
        orEmpty(stored.get(CONTENT_TYPE)),
        metadata(stored),
        List.of(stored.getValues(TAG)),
        time(stored, INGESTED_AT),
        seen != null && seen.numericValue().intValue() == 1,
        orEmpty(stored.get(CAPTION)),
        orEmpty(stored.get(CAPTION_MODEL)),
        orEmpty(stored.get(OCR_TEXT)),
        orEmpty(stored.get(OCR_ENGINE)),
        time(stored, GENERATED_AT));
    BytesRef vision = stored.getBinaryValue(VISION);
    IndexableField captionFixture = stored.getField(CAPTION_MODEL_FIXTURE);
    item.restoreVision(vision == null ? null : Vision.parse(BytesRef.deepCopyOf(vision).bytes));
    BytesRef transcript = stored.getBinaryValue(TRANSCRIPT);
    item.restoreTranscript(
        transcript == null ? null : Transcript.parse(BytesRef.deepCopyOf(transcript).bytes));
    BytesRef keyframes = stored.getBinaryValue(KEYFRAMES);
    item.restoreKeyframes(
        keyframes == null ? null : VideoSegments.parse(BytesRef.deepCopyOf(keyframes).bytes));
    BytesRef keyframeCaptions = stored.getBinaryValue(KEYFRAME_CAPTIONS);
    item.restoreKeyframeCaptions(
        keyframeCaptions == null
            ? null
            : KeyframeCaptions.parse(BytesRef.deepCopyOf(keyframeCaptions).bytes));
    item.restoreCaptionModelFixture(
        captionFixture != null && captionFixture.numericValue().intValue() == 1);
    for (String info : stored.getValues(IMAGE_VECTOR_INFO)) {
      MediaItem.StoredVector v = readVector(stored, info, true);
      item.imageVectors().put(v.model(), v);
    }
    String textInfo = stored.get(TEXT_VECTOR_INFO);
    if (textInfo != null) {
      item.setTextVector(
          readVector(stored, textInfo, false), orEmpty(stored.get(TEXT_VECTOR_SOURCE)));
    }
    return item;
  }

  private static MediaItem.StoredVector readVector(Document stored, String info, boolean image) {
    String[] parts = info.split(SEP, -1);
    ModelVersion model = new ModelVersion(parts[0], parts[1]);
    String field = image ? vectorField(model) : textVectorField(model);
    BytesRef bytes = stored.getBinaryValue(storedVectorField(field));
    // Vectors stored before the fixture flag existed have three parts.
    boolean fixture = parts.length > 3 && parts[3].equals("1");
    return new MediaItem.StoredVector(
        model, fromBytes(bytes), fromMicros(Long.parseLong(parts[2])), fixture);
  }

  private static void addVector(Document doc, String field, float[] unit) {
    doc.add(new KnnFloatVectorField(field, unit, VectorSimilarityFunction.DOT_PRODUCT));
    doc.add(new StoredField(storedVectorField(field), toBytes(unit)));
  }

  static Map<String, String> metadata(Document stored) {
    String[] keys = stored.getValues(META_KEY);
    String[] values = stored.getValues(META_VALUE);
    Map<String, String> metadata = new LinkedHashMap<>();
    for (int i = 0; i < keys.length && i < values.length; i++) {
      metadata.put(keys[i], values[i]);
    }
    return metadata;
  }

  /** Null when the field is absent. */
  static Instant time(Document stored, String field) {
    IndexableField f = stored.getField(field);
    return f == null ? null : fromMicros(f.numericValue().longValue());
  }

  static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  static Instant fromMicros(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  private static BytesRef toBytes(float[] v) {
    ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(v);
    return new BytesRef(buf.array());
  }

  private static float[] fromBytes(BytesRef bytes) {
    float[] v = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes.bytes, bytes.offset, bytes.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asFloatBuffer()
        .get(v);
    return v;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static void addTime(Document doc, String field, long micros) {
    doc.add(new LongPoint(field, micros));
    doc.add(new NumericDocValuesField(field, micros));
    doc.add(new StoredField(field, micros));
  }
}
