package multimodal.gateway.blob;

/**
 * What the gateway remembers about an item it ingested: its owner and where its bytes are.
 *
 * @param blob SHA-256 of the uploaded bytes in the blob store, or null for URL ingests
 * @param uri the source URL of a URL ingest, or null
 * @param truncation why the uploaded image counts as truncated (accepted with {@code
 *     gateway.upload.allow-truncated}), or null for a complete image and for URL ingests
 */
public record MediaRef(
    String tenant, String mediaId, String blob, String uri, String contentType, String truncation) {
  public MediaRef(String tenant, String mediaId, String blob, String uri, String contentType) {
    this(tenant, mediaId, blob, uri, contentType, null);
  }
}
