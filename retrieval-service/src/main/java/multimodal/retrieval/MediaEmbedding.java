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
    float[] vector) {
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

  @Override
  public String toString() {
    // Never log the vector itself.
    return "MediaEmbedding[mediaId=%s, tenant=%s, model=%s, dimension=%d]"
        .formatted(mediaId, tenant, model, vector.length);
  }
}
