package multimodal.retrieval;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One change to the index, decoded from one Kafka record. All kinds merge into the single document
 * of their item, (tenant, media id) ({@link ItemKey}); {@link Deleted} removes it.
 */
public sealed interface IndexChange {
  String mediaId();

  /** The tenant whose item this changes; blank = the default tenant. */
  String tenant();

  /** media.embedding.v1: an image vector of one model version. */
  record Embedded(MediaEmbedding embedding) implements IndexChange {
    @Override
    public String mediaId() {
      return embedding.mediaId();
    }

    @Override
    public String tenant() {
      return embedding.tenant();
    }
  }

  /**
   * media.caption.v1: caption and/or OCR text.
   *
   * @param captionModel "name@version" of the captioner, empty when none ran
   * @param ocrEngine empty when OCR did not run
   * @param captionModelFixture the captioner is a generated fixture, not real weights
   * @param keyframes a video's keyframes with their captions and OCR text; null for an image
   */
  record Captioned(
      String mediaId,
      String tenant,
      String caption,
      String captionModel,
      String ocrText,
      String ocrEngine,
      Instant generatedAt,
      boolean captionModelFixture,
      KeyframeCaptions keyframes)
      implements IndexChange {
    public Captioned {
      Objects.requireNonNull(mediaId, "mediaId");
      caption = caption == null ? "" : caption;
      captionModel = captionModel == null ? "" : captionModel;
      ocrText = ocrText == null ? "" : ocrText;
      ocrEngine = ocrEngine == null ? "" : ocrEngine;
    }

    public Captioned(
        String mediaId,
        String tenant,
        String caption,
        String captionModel,
        String ocrText,
        String ocrEngine,
        Instant generatedAt) {
      this(mediaId, tenant, caption, captionModel, ocrText, ocrEngine, generatedAt, false);
    }

    /** An image's caption (no keyframes). */
    public Captioned(
        String mediaId,
        String tenant,
        String caption,
        String captionModel,
        String ocrText,
        String ocrEngine,
        Instant generatedAt,
        boolean captionModelFixture) {
      this(
          mediaId,
          tenant,
          caption,
          captionModel,
          ocrText,
          ocrEngine,
          generatedAt,
          captionModelFixture,
          null);
    }
  }

  /** media.vision.v1: detected objects and safety scores; replaces the item's previous ones. */
  record Analysed(String mediaId, String tenant, Vision vision) implements IndexChange {
    public Analysed {
      Objects.requireNonNull(mediaId, "mediaId");
      Objects.requireNonNull(vision, "vision");
    }
  }

  /**
   * media.transcript.v1: what was said in an audio item; replaces the item's previous transcript.
   */
  record Transcribed(String mediaId, String tenant, Transcript transcript) implements IndexChange {
    public Transcribed {
      Objects.requireNonNull(mediaId, "mediaId");
      Objects.requireNonNull(transcript, "transcript");
    }
  }

  /** A non-null media.ingest.v1 event: the producer's metadata. */
  record Ingested(
      String mediaId,
      String tenant,
      String contentType,
      Map<String, String> metadata,
      List<String> tags,
      Instant ingestedAt)
      implements IndexChange {
    public Ingested {
      Objects.requireNonNull(mediaId, "mediaId");
      contentType = contentType == null ? "" : contentType;
      metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
      tags = tags == null ? List.of() : List.copyOf(tags);
    }
  }

  /**
   * A media.ingest.v1 tombstone: the item of this tenant leaves the index; another tenant's item
   * with the same media id stays.
   *
   * @param tenant from the tombstone's {@code tenant} header (the default tenant when absent)
   * @param deletedAt when it was deleted (the record's timestamp): the index keeps a tombstone
   *     marker until {@code retrieval.index.tombstone-retention} after this
   */
  record Deleted(String mediaId, String tenant, Instant deletedAt) implements IndexChange {
    public Deleted {
      Objects.requireNonNull(mediaId, "mediaId");
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(deletedAt, "deletedAt");
    }

    /** Deleted now. */
    public Deleted(String mediaId, String tenant) {
      this(mediaId, tenant, Instant.now());
    }
  }
}
