package multimodal.retrieval.index;

import multimodal.retrieval.ModelVersion;

/**
 * Field names of the Lucene documents. One document per (media id, model name, model version),
 * {@link #DOC_TYPE} {@code embedding}; later document types (captions, OCR) add their own.
 */
public final class IndexFields {
  /** Unique key of an embedding document: media id, model name, model version. */
  public static final String KEY = "key";
  public static final String DOC_TYPE = "doc_type";
  public static final String EMBEDDING_DOC = "embedding";
  public static final String MEDIA_ID = "media_id";
  public static final String TENANT = "tenant";
  public static final String CONTENT_TYPE = "content_type";
  public static final String MODEL_NAME = "model_name";
  public static final String MODEL_VERSION = "model_version";
  /** Name and version in one term, for listing the versions present. */
  public static final String MODEL_KEY = "model_key";
  public static final String DIMENSION = "dimension";
  /** Metadata as parallel stored key/value lists (order kept by Lucene). */
  public static final String META_KEY = "meta_key";
  public static final String META_VALUE = "meta_value";
  /** Metadata values as analysed text, for BM25 later. */
  public static final String METADATA_TEXT = "metadata_text";
  public static final String TAG = "tag";
  /** Epoch microseconds; point, doc value and stored. */
  public static final String INGESTED_AT = "ingested_at";
  public static final String EMBEDDED_AT = "embedded_at";

  // U+001F (unit separator) cannot appear in sane ids, so the joined strings are unambiguous.
  private static final char SEP = '\u001f';

  private IndexFields() {}

  /** The KNN vector field holding the vectors of one model version. */
  public static String vectorField(ModelVersion model) {
    return "vector" + SEP + model.name() + SEP + model.version();
  }

  public static String modelKey(ModelVersion model) {
    return model.name() + SEP + model.version();
  }

  public static String documentKey(String mediaId, ModelVersion model) {
    return mediaId + SEP + model.name() + SEP + model.version();
  }
}
