package multimodal.gateway;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * JSON answer of {@code GET /v1/media/{mediaId}}: where one item is in the pipeline.
 *
 * @param state {@code accepted} (on the topic, not indexed yet) or {@code indexed}
 * @param embeddedBy one entry per model version that embedded the item
 * @param ingestedAt ISO-8601 instant, or null when unknown
 */
public record MediaStatus(
    String mediaId,
    String tenant,
    @Schema(enumeration = {"accepted", "indexed"}) String state,
    String contentType,
    Map<String, String> metadata,
    List<String> tags,
    List<Embedded> embeddedBy,
    boolean captioned,
    String caption,
    boolean ocrDone,
    String ocrText,
    String ingestedAt) {

  public record Embedded(String model, String version, int dimension, String embeddedAt) {}

  /** Known to the gateway (accepted) but not yet to the index. */
  public static MediaStatus accepted(String mediaId, String tenant, String contentType) {
    return new MediaStatus(mediaId, tenant, "accepted", contentType, Map.of(), List.of(), List.of(), false, null, false, null, null);
  }
}
