package multimodal.gateway.blob;

/**
 * What the gateway remembers about an item it ingested: its owner and where its bytes are.
 *
 * @param blob SHA-256 of the uploaded bytes in the blob store, or null for URL ingests
 * @param uri the source URL of a URL ingest, or null
 */
public record MediaRef(String tenant, String mediaId, String blob, String uri, String contentType) {}
