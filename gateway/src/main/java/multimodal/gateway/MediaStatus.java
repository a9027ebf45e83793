package multimodal.gateway;

import java.util.List;
import java.util.Map;

/**
 * JSON answer of {@code GET /v1/media/{mediaId}}: what the index knows about one item.
 *
 * @param embeddedBy one entry per model version that embedded the item
 * @param ingestedAt ISO-8601 instant, or null when unknown
 */
public record MediaStatus(
    String mediaId,
    String tenant,
    String contentType,
    Map<String, String> metadata,
    List<Embedded> embeddedBy,
    boolean captioned,
    boolean ocrDone,
    String ingestedAt) {

  public record Embedded(String model, String version, int dimension, String embeddedAt) {}
}
