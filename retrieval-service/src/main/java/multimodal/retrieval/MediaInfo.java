package multimodal.retrieval;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the index knows about one media item (GetMedia).
 *
 * @param ingestedAt null when unknown
 */
public record MediaInfo(
    String mediaId,
    String tenant,
    String contentType,
    Map<String, String> metadata,
    List<String> tags,
    Instant ingestedAt,
    List<Embedded> embeddings) {

  /** One model version that embedded the item. */
  public record Embedded(ModelVersion model, int dimension, Instant embeddedAt) {}
}
