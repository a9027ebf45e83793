package multimodal.v1.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import multimodal.v1.TenantId;

/**
 * A media.ingest.v1 event: one image handed to the platform, by value ({@link #data}) or by
 * reference ({@link #uri}). Exactly one of the two is set.
 *
 * @param eventId CloudEvents {@code id}; unique per event, used for idempotency and tracing
 * @param source CloudEvents {@code source}, e.g. {@code /gateway} or a producer's URI
 * @param time CloudEvents {@code time}; when the producer handed the media over
 * @param mediaId stable id of the media item; also the Kafka key
 * @param tenant owner of the item ({@link TenantId}'s grammar); {@value #DEFAULT_TENANT} when the
 *     producer names none
 * @param contentType media type of the bytes when known (e.g. {@code image/png}), else null
 * @param uri where to fetch the bytes, or null
 * @param data the bytes inline, or null
 * @param metadata producer metadata, indexed as text
 * @param tags producer tags, usable as filters
 */
public record IngestEvent(
    String eventId,
    String source,
    Instant time,
    String mediaId,
    String tenant,
    String contentType,
    String uri,
    byte[] data,
    Map<String, String> metadata,
    List<String> tags) {

  public static final String DEFAULT_TENANT = "default";
  public static final String TYPE = "dev.multimodal.media.ingest.v1";

  public IngestEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(mediaId, "mediaId");
    // An event with a tenant no consumer accepts must not be produced at all.
    TenantId.requireValid(tenant, "tenant");
    if ((uri == null) == (data == null)) {
      throw new IllegalArgumentException("exactly one of uri and data must be set");
    }
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  public boolean inline() {
    return data != null;
  }

  @Override
  public String toString() {
    // Never print the bytes.
    return "IngestEvent[eventId=%s, mediaId=%s, tenant=%s, %s]"
        .formatted(
            eventId, mediaId, tenant, inline() ? data.length + " bytes inline" : "uri=" + uri);
  }
}
