package multimodal.v1.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import multimodal.v1.TenantId;

/**
 * A media.ingest.v1 tombstone (null value): the delete of one tenant's item. The key is the media
 * id, as on every record of the topic, so the delete stays in order with the item's events; the
 * tenant travels in the {@value #TENANT_HEADER} header (absent = {@value
 * IngestEvent#DEFAULT_TENANT}, as for an event without {@code data.tenant}) and the producer in
 * {@code ce_source}.
 *
 * @param source the producer (header {@code ce_source}); null when the record names none
 */
public record IngestTombstone(String mediaId, String tenant, String source) {
  /** Header naming the tenant whose item is deleted. */
  public static final String TENANT_HEADER = "tenant";

  /** Header naming the producer (the CloudEvents source attribute in binary mode). */
  public static final String SOURCE_HEADER = IngestEventCodec.CE_PREFIX + "source";

  /**
   * @param headers record headers by name (last value wins)
   * @throws InvalidIngestEventException without a key, or with a tenant header that is not a tenant
   *     name
   */
  public static IngestTombstone fromRecord(String key, Map<String, byte[]> headers) {
    if (key == null || key.isBlank()) {
      throw new InvalidIngestEventException("tombstone without a key (media id)");
    }
    byte[] tenantHeader = headers.get(TENANT_HEADER);
    String tenant =
        tenantHeader == null
            ? IngestEvent.DEFAULT_TENANT
            : new String(tenantHeader, StandardCharsets.UTF_8);
    if (!TenantId.isValid(tenant)) {
      throw new InvalidIngestEventException(
          "tombstone header " + TENANT_HEADER + " " + TenantId.message(tenant));
    }
    byte[] source = headers.get(SOURCE_HEADER);
    return new IngestTombstone(
        key, tenant, source == null ? null : new String(source, StandardCharsets.UTF_8));
  }
}
