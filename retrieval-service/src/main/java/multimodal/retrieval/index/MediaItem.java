package multimodal.retrieval.index;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.ItemKey;
import multimodal.retrieval.KeyframeCaptions;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.Transcript;
import multimodal.retrieval.VideoSegments;
import multimodal.retrieval.Vision;

/**
 * Everything the index holds about one media id: what its single Lucene document is built from.
 * Mutable on purpose: a batch of events folds into it ({@link #apply}) before it is written once.
 * Not thread-safe.
 */
public final class MediaItem {
  /** One stored, unit-length vector. */
  /**
   * @param fixture the model is a generated fixture, not real pretrained weights
   */
  public record StoredVector(ModelVersion model, float[] vector, Instant at, boolean fixture) {
    public StoredVector(ModelVersion model, float[] vector, Instant at) {
      this(model, vector, at, false);
    }
  }

  private final String mediaId;

  /** Fixed: the item is (tenant, media id), and no event moves it to another tenant. */
  private final String tenant;

  private String contentType = "";
  private Map<String, String> metadata = new LinkedHashMap<>();
  private List<String> tags = new ArrayList<>();
  private Instant ingestedAt;
  private boolean ingestSeen;
  private String caption = "";
  private String captionModel = "";
  private boolean captionModelFixture;
  private String ocrText = "";
  private String ocrEngine = "";
  private Instant generatedAt;

  /** Objects and safety scores (media.vision.v1); null until a vision event was applied. */
  private Vision vision;

  /** What was said (media.transcript.v1); null until a transcript was applied. */
  private Transcript transcript;

  /** A video's keyframes with their vectors (media.embedding.v1 segments); null for images. */
  private VideoSegments keyframes;

  /** A video's keyframes with their captions and OCR text (media.caption.v1); null for images. */
  private KeyframeCaptions keyframeCaptions;

  private final Map<ModelVersion, StoredVector> imageVectors = new LinkedHashMap<>();
  private StoredVector textVector;

  /** The text {@link #textVector} was computed from, so an unchanged text is not re-embedded. */
  private String textVectorSource = "";

  /**
   * A tombstone: kept so that events of the deleted item read later (from other topics) stay
   * dropped.
   */
  private boolean deleted;

  /**
   * When a tombstone's item was deleted; null on live items (and on tombstones of older versions).
   */
  private Instant deletedAt;

  public MediaItem(String mediaId, String tenant) {
    this.mediaId = Objects.requireNonNull(mediaId, "mediaId");
    this.tenant = Objects.requireNonNull(tenant, "tenant");
  }

  /**
   * Folds one change in. A delete empties the item and marks it deleted; only a new ingest event
   * revives it, so embeddings and captions of the deleted item that arrive later (other topics are
   * not ordered with media.ingest.v1) cannot resurrect it.
   *
   * @throws IllegalArgumentException for a change of another item (another tenant or media id)
   */
  public void apply(IndexChange change, String defaultTenant) {
    ItemKey key = ItemKey.of(change, defaultTenant);
    if (!key.equals(key())) {
      throw new IllegalArgumentException("a change of " + key + " cannot apply to " + key());
    }
    switch (change) {
      case IndexChange.Deleted d -> {
        clear();
        deleted = true;
        deletedAt = d.deletedAt();
      }
      case IndexChange.Embedded e -> {
        if (!deleted) {
          applyEmbedding(e.embedding());
        }
      }
      case IndexChange.Captioned c -> {
        if (!deleted) {
          caption = c.caption();
          captionModel = c.captionModel();
          captionModelFixture = c.captionModelFixture();
          ocrText = c.ocrText();
          ocrEngine = c.ocrEngine();
          generatedAt = c.generatedAt();
          keyframeCaptions = c.keyframes();
        }
      }
      case IndexChange.Analysed a -> {
        if (!deleted) {
          vision = a.vision();
        }
      }
      case IndexChange.Transcribed t -> {
        if (!deleted) {
          transcript = t.transcript();
        }
      }
      case IndexChange.Ingested i -> {
        if (deleted) {
          clear();
        }
        contentType = i.contentType();
        metadata = new LinkedHashMap<>(i.metadata());
        tags = new ArrayList<>(i.tags());
        ingestedAt = i.ingestedAt();
        ingestSeen = true;
      }
    }
  }

  private void clear() {
    deleted = false;
    deletedAt = null;
    contentType = "";
    metadata = new LinkedHashMap<>();
    tags = new ArrayList<>();
    ingestedAt = null;
    ingestSeen = false;
    caption = "";
    captionModel = "";
    captionModelFixture = false;
    ocrText = "";
    ocrEngine = "";
    generatedAt = null;
    vision = null;
    transcript = null;
    keyframes = null;
    keyframeCaptions = null;
    imageVectors.clear();
    textVector = null;
    textVectorSource = "";
  }

  /** True for a tombstone (the item was deleted and not re-ingested). */
  public boolean deleted() {
    return deleted;
  }

  /** When the tombstone's item was deleted (null for a live item). */
  public Instant deletedAt() {
    return deletedAt;
  }

  void markDeleted(Instant at) {
    clear();
    deleted = true;
    deletedAt = at;
  }

  private void applyEmbedding(MediaEmbedding e) {
    // The ingest event is the authority on metadata; the embedding event's copy fills gaps only.
    if (!ingestSeen) {
      if (!e.contentType().isEmpty()) {
        contentType = e.contentType();
      }
      metadata = new LinkedHashMap<>(e.metadata());
      tags = new ArrayList<>(e.tags());
      if (e.ingestedAt() != null) {
        ingestedAt = e.ingestedAt();
      }
    }
    if (e.keyframes() != null) {
      keyframes = e.keyframes();
    } else if (keyframes != null && keyframes.model().equals(e.model())) {
      keyframes = null; // the same model embedded the item again, with no keyframes this time
    }
    imageVectors.put(
        e.model(),
        new StoredVector(
            e.model(), Vectors.normalized(e.vector()), e.embeddedAt(), e.modelFixture()));
  }

  /**
   * Caption, OCR text, detected object labels, transcript and metadata values: what the sentence
   * embedding sees (BM25 indexes the same parts, each in its own field).
   */
  public String searchableText() {
    StringBuilder text = new StringBuilder(caption);
    if (transcript != null && !transcript.segments().isEmpty()) {
      text.append(text.isEmpty() ? "" : "\n").append(transcript.text());
    }
    if (!ocrText.isEmpty()) {
      text.append(text.isEmpty() ? "" : "\n").append(ocrText);
    }
    if (vision != null && !vision.objects().isEmpty()) {
      text.append(text.isEmpty() ? "" : "\n").append(String.join(", ", vision.labels()));
    }
    for (String v : metadata.values()) {
      text.append(text.isEmpty() ? "" : "\n").append(v);
    }
    return text.toString();
  }

  /** True when the sentence embedding is missing or was computed from another text. */
  public boolean textVectorStale() {
    String text = searchableText();
    if (text.isBlank()) {
      return textVector != null;
    }
    return textVector == null || !textVectorSource.equals(text);
  }

  public void setTextVector(StoredVector vector, String source) {
    this.textVector = vector;
    this.textVectorSource = vector == null ? "" : source;
  }

  public String mediaId() {
    return mediaId;
  }

  public String tenant() {
    return tenant;
  }

  public ItemKey key() {
    return new ItemKey(tenant, mediaId);
  }

  public String contentType() {
    return contentType;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  public List<String> tags() {
    return tags;
  }

  public Instant ingestedAt() {
    return ingestedAt;
  }

  public boolean ingestSeen() {
    return ingestSeen;
  }

  public String caption() {
    return caption;
  }

  public String captionModel() {
    return captionModel;
  }

  public boolean captionModelFixture() {
    return captionModelFixture;
  }

  /** Null until a media.vision.v1 event was applied. */
  public Vision vision() {
    return vision;
  }

  public String ocrText() {
    return ocrText;
  }

  /** Null until a media.transcript.v1 event was applied. */
  public Transcript transcript() {
    return transcript;
  }

  /** Null for items that are not video (no embedding event with segments was applied). */
  public VideoSegments keyframes() {
    return keyframes;
  }

  /** Null for images and until a video's caption event was applied. */
  public KeyframeCaptions keyframeCaptions() {
    return keyframeCaptions;
  }

  public String ocrEngine() {
    return ocrEngine;
  }

  public Instant generatedAt() {
    return generatedAt;
  }

  public Map<ModelVersion, StoredVector> imageVectors() {
    return imageVectors;
  }

  public StoredVector textVector() {
    return textVector;
  }

  public String textVectorSource() {
    return textVectorSource;
  }

  // For items rebuilt from what was stored: MediaDocuments (stored fields) and the fan-out's
  // ProtoMapper.toItem (a shard's lookup hits).
  public void restore(
      String contentType,
      Map<String, String> metadata,
      List<String> tags,
      Instant ingestedAt,
      boolean ingestSeen,
      String caption,
      String captionModel,
      String ocrText,
      String ocrEngine,
      Instant generatedAt) {
    this.contentType = contentType;
    this.metadata = new LinkedHashMap<>(metadata);
    this.tags = new ArrayList<>(tags);
    this.ingestedAt = ingestedAt;
    this.ingestSeen = ingestSeen;
    this.caption = caption;
    this.captionModel = captionModel;
    this.ocrText = ocrText;
    this.ocrEngine = ocrEngine;
    this.generatedAt = generatedAt;
  }

  // Parts that restore() leaves out, for the same callers (and the shard merge).
  public void restoreVision(Vision vision) {
    this.vision = vision;
  }

  public void restoreTranscript(Transcript transcript) {
    this.transcript = transcript;
  }

  public void restoreKeyframes(VideoSegments keyframes) {
    this.keyframes = keyframes;
  }

  public void restoreKeyframeCaptions(KeyframeCaptions keyframeCaptions) {
    this.keyframeCaptions = keyframeCaptions;
  }

  public void restoreCaptionModelFixture(boolean fixture) {
    this.captionModelFixture = fixture;
  }

  @Override
  public String toString() {
    return "MediaItem[mediaId=%s, tenant=%s, vectors=%s]"
        .formatted(mediaId, tenant, imageVectors.keySet());
  }
}
