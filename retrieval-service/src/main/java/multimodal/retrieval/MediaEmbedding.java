package multimodal.retrieval;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the index stores for one (media id, model version): the vector plus what search results
 * show. Built from a {@code MediaEmbeddingEvent}.
 *
 * @param ingestedAt null when the producer did not say
 * @param modelFixture the model is a generated fixture, not real pretrained weights
 * @param keyframes a video's keyframes with their own vectors; null for images
 */
public record MediaEmbedding(
    String mediaId,
    String tenant,
    String contentType,
    Map<String, String> metadata,
    List<String> tags,
    Instant ingestedAt,
    Instant embeddedAt,
    ModelVersion model,
    float[] vector,
    boolean modelFixture,
    VideoSegments keyframes) {
  public MediaEmbedding {
    Objects.requireNonNull(mediaId, "mediaId");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(embeddedAt, "embeddedAt");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(vector, "vector");
    contentType = contentType == null ? "" : contentType;
    metadata = Map.copyOf(metadata);
    tags = List.copyOf(tags);
  }

  public MediaEmbedding(
      String mediaId,
      String tenant,
      String contentType,
      Map<String, String> metadata,
      List<String> tags,
      Instant ingestedAt,
      Instant embeddedAt,
      ModelVersion model,
      float[] vector,
      boolean modelFixture) {
    this(
        mediaId,
        tenant,
        contentType,
        metadata,
        tags,
        ingestedAt,
        embeddedAt,
        model,
        vector,
        modelFixture,
        null);
  }

  public MediaEmbedding(
      String mediaId,
      String tenant,
      String contentType,
      Map<String, String> metadata,
      List<String> tags,
      Instant ingestedAt,
      Instant embeddedAt,
      ModelVersion model,
      float[] vector) {
    this(
        mediaId, tenant, contentType, metadata, tags, ingestedAt, embeddedAt, model, vector, false);
  }

  @Override
  public String toString() {
    // Never log the vector itself.
    return "MediaEmbedding[mediaId=%s, tenant=%s, model=%s, dimension=%d]"
        .formatted(mediaId, tenant, model, vector.length);
  }
}
