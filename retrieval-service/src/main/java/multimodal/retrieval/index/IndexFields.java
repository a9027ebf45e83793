package multimodal.retrieval.index;

import multimodal.retrieval.ModelVersion;

/**
 * Field names of the Lucene documents: one document per media id holding its producer metadata,
 * caption and OCR text, one image vector per model version and one sentence vector; before a
 * video's document, one child document per keyframe ({@link #KEYFRAME}).
 */
public final class IndexFields {
  /**
   * Unique key of a document: tenant and media id ({@code ItemKey.term()}); media ids are unique
   * only within a tenant. Indexed, not stored.
   */
  public static final String ITEM_KEY = "item_key";

  /** The media id (stored; unique within the document's tenant). */
  public static final String MEDIA_ID = "media_id";

  /**
   * The media id again, as sorted doc values, to resolve hits cheaply. Its own field: Lucene
   * refuses to add doc values to a field that indexes written before had without them.
   */
  public static final String MEDIA_ID_VALUES = "media_id_values";

  /**
   * The owning tenant: a keyword on live items (every search filters by it), stored on tombstones
   * too.
   */
  public static final String TENANT = "tenant";

  /** "1" on a live item; absent on a tombstone (stored as {@link #DELETED}). */
  public static final String LIVE = "live";

  public static final String DELETED = "deleted";

  /** Epoch microseconds a tombstone's item was deleted; point, doc value and stored. */
  public static final String DELETED_AT = "deleted_at";

  public static final String CONTENT_TYPE = "content_type";

  /** Metadata as parallel stored key/value lists (order kept by Lucene). */
  public static final String META_KEY = "meta_key";

  public static final String META_VALUE = "meta_value";

  /** BM25 fields (analysed, not stored: the stored copies are below). */
  public static final String METADATA_TEXT = "metadata_text";

  public static final String CAPTION = "caption";
  public static final String OCR_TEXT = "ocr_text";
  public static final String CAPTION_MODEL = "caption_model";
  public static final String OCR_ENGINE = "ocr_engine";
  public static final String TAG = "tag";

  /** 1 when the captioner is a generated fixture (stored). */
  public static final String CAPTION_MODEL_FIXTURE = "caption_model_fixture";

  /**
   * Detected object labels (media.vision.v1), analysed like captions for BM25; each distinct label
   * once (not stored: the stored copy is {@link #VISION}).
   */
  public static final String OBJECTS_TEXT = "objects_text";

  /** Each distinct label, lower-cased, as a keyword: the objects filter. */
  public static final String OBJECT = "object";

  /** The vision part (objects, boxes, safety scores, models, image size) as stored bytes. */
  public static final String VISION = "vision";

  /** Sum of the unsafe classes' probabilities: float point and doc value; only on scored items. */
  public static final String UNSAFE_SCORE = "unsafe_score";

  /** Transcript text of an audio item (media.transcript.v1), analysed for BM25; not stored. */
  public static final String TRANSCRIPT_TEXT = "transcript_text";

  /** The transcript (segments with time ranges, recogniser, duration) as stored bytes. */
  public static final String TRANSCRIPT = "transcript";

  /**
   * A video's keyframes (time ranges and unit vectors, media.embedding.v1 segments) as stored
   * bytes: the item's own document holds them, so they are written, replaced and deleted with it.
   */
  public static final String KEYFRAMES = "keyframes";

  /**
   * "1" on a keyframe's child document: a video's keyframes are indexed as a block of child
   * documents (each with its {@link #keyframeVectorField} vector and the item's {@link #ITEM_KEY},
   * nothing else) followed by the item's own document, so a kNN query can rank a video by its best
   * keyframe ({@link KeyframeBlocks}). Every item query leaves these documents out.
   */
  public static final String KEYFRAME = "keyframe";

  /**
   * A video's keyframe captions and OCR text with their time ranges (media.caption.v1 segments) as
   * stored bytes; their text is searched through {@link #CAPTION} and {@link #OCR_TEXT}, which hold
   * the event's summary of them.
   */
  public static final String KEYFRAME_CAPTIONS = "keyframe_captions";

  /** 1 when a non-null media.ingest.v1 event was applied (stored). */
  public static final String INGEST_SEEN = "ingest_seen";

  /** Epoch microseconds; point, doc value and stored. */
  public static final String INGESTED_AT = "ingested_at";

  public static final String GENERATED_AT = "generated_at";

  /** Stored, one per image vector: name, version, dimension, embedded-at micros. */
  public static final String IMAGE_VECTOR_INFO = "image_vector_info";

  /** Stored: name, version, dimension of the sentence vector. */
  public static final String TEXT_VECTOR_INFO = "text_vector_info";

  public static final String TEXT_VECTOR_SOURCE = "text_vector_source";

  /** Indexed: "name␟version" of every vector the document has, for "has a vector of" filters. */
  public static final String MODEL_KEY = "model_key";

  // U+001F (unit separator) cannot appear in sane ids, so the joined strings are unambiguous.
  static final char SEP = '\u001f';

  private IndexFields() {}

  /** The HNSW field holding the image vectors of one model version. */
  public static String vectorField(ModelVersion model) {
    return "vector" + SEP + model.name() + SEP + model.version();
  }

  /** The HNSW field holding the sentence vectors (caption, OCR, metadata) of one model version. */
  public static String textVectorField(ModelVersion model) {
    return "text_vector" + SEP + model.name() + SEP + model.version();
  }

  /**
   * The HNSW field holding the keyframe vectors of videos embedded by one model version, on the
   * keyframes' child documents (the item's own vector stays in {@link #vectorField}).
   */
  public static String keyframeVectorField(ModelVersion model) {
    return "keyframe_vector" + SEP + model.name() + SEP + model.version();
  }

  /** Stored copy of a vector (HNSW fields cannot be read back cheaply per document). */
  static String storedVectorField(String vectorField) {
    return "stored_" + vectorField;
  }

  public static String modelKey(ModelVersion model) {
    return model.name() + SEP + model.version();
  }
}
