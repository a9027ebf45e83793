package multimodal.retrieval.grpc;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.index.MediaItem;
import multimodal.v1.EmbeddedBy;
import multimodal.v1.GetMediaResponse;

/**
 * One item's partial answers from the shards, merged. With different partition counts on the three
 * topics an item's ingest event, embeddings and caption may be read by different shards (the key
 * decides the partition, the partition the shard). One rule, in shard order, for GetMedia and for
 * the items RankTexts, Classify and Rerank score: ingest fields (tenant, content type, metadata,
 * tags, ingest time) from the first part that has an ingest time or a content type (else the first
 * part), caption and OCR (and the captioner, and a video's keyframe captions) from the first part
 * that has them (else the ingest part), objects and safety scores from the first part that has a
 * vision event applied (else the ingest part), and each model version's vector (GetMedia: its
 * embedded_by) from the first part that holds it.
 */
final class ShardParts {
  private ShardParts() {}

  /** GetMedia: one status from the shards' partial ones. */
  static GetMediaResponse merge(List<GetMediaResponse> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    GetMediaResponse ingest = first(parts, ShardParts::ingested, parts.get(0));
    GetMediaResponse caption = first(parts, ShardParts::captioned, ingest);
    GetMediaResponse vision = first(parts, GetMediaResponse::getAnalysed, ingest);
    GetMediaResponse.Builder merged =
        ingest.toBuilder()
            .clearEmbeddedBy()
            .setCaptioned(caption.getCaptioned())
            .setCaption(caption.getCaption())
            .setOcrDone(caption.getOcrDone())
            .setOcrText(caption.getOcrText())
            .clearKeyframeCaptions()
            .addAllKeyframeCaptions(caption.getKeyframeCaptionsList())
            .clearCaptionModel()
            .clearObjects()
            .clearDetector()
            .clearSafety()
            .clearSafetyModel()
            .setAnalysed(vision.getAnalysed())
            .addAllObjects(vision.getObjectsList())
            .addAllSafety(vision.getSafetyList())
            .setUnsafeScore(vision.getUnsafeScore())
            .setImageWidth(vision.getImageWidth())
            .setImageHeight(vision.getImageHeight());
    if (caption.hasCaptionModel()) {
      merged.setCaptionModel(caption.getCaptionModel());
    }
    if (vision.hasDetector()) {
      merged.setDetector(vision.getDetector());
    }
    if (vision.hasSafetyModel()) {
      merged.setSafetyModel(vision.getSafetyModel());
    }
    Set<ModelVersion> seen = new HashSet<>();
    for (GetMediaResponse part : parts) {
      for (EmbeddedBy e : part.getEmbeddedByList()) {
        if (seen.add(new ModelVersion(e.getModelName(), e.getModelVersion()))) {
          merged.addEmbeddedBy(e);
        }
      }
    }
    return merged.build();
  }

  /** An item from the shards' parts of it (all of one tenant), with their image vectors. */
  static MediaItem mergeItems(List<MediaItem> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    MediaItem ingest = first(parts, ShardParts::ingested, parts.get(0));
    MediaItem caption = first(parts, ShardParts::captioned, ingest);
    MediaItem vision = first(parts, part -> part.vision() != null, ingest);
    MediaItem merged = new MediaItem(ingest.mediaId(), ingest.tenant());
    merged.restore(
        ingest.contentType(),
        ingest.metadata(),
        ingest.tags(),
        ingest.ingestedAt(),
        ingest.ingestSeen(),
        caption.caption(),
        caption.captionModel(),
        caption.ocrText(),
        caption.ocrEngine(),
        caption.generatedAt());
    merged.restoreVision(vision.vision());
    merged.restoreCaptionModelFixture(caption.captionModelFixture());
    merged.restoreKeyframeCaptions(caption.keyframeCaptions());
    // A video's keyframes come with its embedding, on the shard that holds the vectors.
    merged.restoreKeyframes(first(parts, part -> part.keyframes() != null, ingest).keyframes());
    for (MediaItem part : parts) {
      part.imageVectors().forEach(merged.imageVectors()::putIfAbsent);
    }
    return merged;
  }

  // The same two tests on both shapes (ProtoMapper.toResponse turns an item into a
  // GetMediaResponse).

  private static boolean ingested(GetMediaResponse part) {
    return part.hasIngestedAt() || !part.getContentType().isEmpty();
  }

  private static boolean ingested(MediaItem part) {
    return part.ingestedAt() != null || !part.contentType().isEmpty();
  }

  private static boolean captioned(GetMediaResponse part) {
    return part.getCaptioned() || part.getOcrDone();
  }

  private static boolean captioned(MediaItem part) {
    return !part.caption().isEmpty() || !part.ocrEngine().isEmpty() || !part.ocrText().isEmpty();
  }

  private static <T> T first(List<T> parts, Predicate<T> test, T otherwise) {
    return parts.stream().filter(test).findFirst().orElse(otherwise);
  }
}
