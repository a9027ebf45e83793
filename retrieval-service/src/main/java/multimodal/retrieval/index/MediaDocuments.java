package multimodal.retrieval.index;

import static multimodal.retrieval.index.IndexFields.*;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.MediaInfo;
import multimodal.retrieval.ModelVersion;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.VectorSimilarityFunction;

/** Maps {@link MediaEmbedding} to a Lucene document and stored fields back. */
final class MediaDocuments {
  private MediaDocuments() {}

  static Document toDocument(MediaEmbedding e, float[] unitVector) {
    Document doc = new Document();
    doc.add(new StringField(KEY, documentKey(e.mediaId(), e.model()), Field.Store.NO));
    doc.add(new StringField(DOC_TYPE, EMBEDDING_DOC, Field.Store.NO));
    doc.add(new StringField(MEDIA_ID, e.mediaId(), Field.Store.YES));
    doc.add(new StringField(TENANT, e.tenant(), Field.Store.YES));
    doc.add(new StringField(CONTENT_TYPE, e.contentType(), Field.Store.YES));
    doc.add(new StringField(MODEL_NAME, e.model().name(), Field.Store.YES));
    doc.add(new StringField(MODEL_VERSION, e.model().version(), Field.Store.YES));
    doc.add(new StringField(MODEL_KEY, modelKey(e.model()), Field.Store.NO));
    doc.add(new StoredField(DIMENSION, unitVector.length));
    StringBuilder text = new StringBuilder();
    e.metadata()
        .forEach(
            (k, v) -> {
              doc.add(new StoredField(META_KEY, k));
              doc.add(new StoredField(META_VALUE, v));
              text.append(v).append('\n');
            });
    doc.add(new TextField(METADATA_TEXT, text.toString(), Field.Store.NO));
    for (String tag : e.tags()) {
      doc.add(new StringField(TAG, tag, Field.Store.YES));
    }
    if (e.ingestedAt() != null) {
      addTime(doc, INGESTED_AT, micros(e.ingestedAt()));
    }
    addTime(doc, EMBEDDED_AT, micros(e.embeddedAt()));
    doc.add(
        new KnnFloatVectorField(
            vectorField(e.model()), unitVector, VectorSimilarityFunction.DOT_PRODUCT));
    return doc;
  }

  static ModelVersion model(Document stored) {
    return new ModelVersion(stored.get(MODEL_NAME), stored.get(MODEL_VERSION));
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

  static long embeddedMicros(Document stored) {
    return stored.getField(EMBEDDED_AT).numericValue().longValue();
  }

  static MediaInfo.Embedded embedded(Document stored) {
    return new MediaInfo.Embedded(
        model(stored),
        stored.getField(DIMENSION).numericValue().intValue(),
        time(stored, EMBEDDED_AT));
  }

  static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  static Instant fromMicros(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  private static void addTime(Document doc, String field, long micros) {
    doc.add(new LongPoint(field, micros));
    doc.add(new NumericDocValuesField(field, micros));
    doc.add(new StoredField(field, micros));
  }
}
