package multimodal.gateway.rest;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import multimodal.gateway.ImageFormat;
import multimodal.gateway.blob.BlobStore;
import multimodal.gateway.blob.ClaimCheckUrls;
import multimodal.gateway.blob.MediaRefs;
import multimodal.v1.TenantId;
import multimodal.v1.ingest.AudioTypes;
import multimodal.v1.ingest.VideoTypes;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Claim-check reads for the workers: {@code GET /internal/blobs/<sha256>?tenant=&expires=&sig=},
 * exactly as the gateway signed it into the ingest event ({@link ClaimCheckUrls}). Not an API-key
 * route and no credential of the worker's: the URL itself is the permission. A missing, malformed,
 * forged or expired signature, a tenant that no longer holds the blob and an unknown blob all get
 * the same 404, so the route says nothing about which blobs exist. Keep /internal/ off the public
 * ingress all the same.
 */
@Path("/internal/blobs")
@Blocking
public class InternalBlobResource {
  private final BlobStore blobs;
  private final MediaRefs refs;
  private final ClaimCheckUrls urls;

  InternalBlobResource(BlobStore blobs, MediaRefs refs, ClaimCheckUrls urls) {
    this.blobs = blobs;
    this.refs = refs;
    this.urls = urls;
  }

  @GET
  @Path("/{sha256}")
  @Produces(MediaType.WILDCARD)
  @Operation(hidden = true)
  public Response read(
      @RestPath String sha256,
      @RestQuery String tenant,
      @RestQuery String expires,
      @RestQuery String sig) {
    // The signature first: without it nothing touches the store, so timing cannot tell either.
    Optional<byte[]> bytes =
        urls.permits(sha256, tenant, expires, sig) && refs.holdsBlob(tenant, sha256)
            ? blobs.get(sha256)
            : Optional.empty();
    if (bytes.isEmpty()) {
      // Both come from the request: logged only when well-formed (no line breaks into the log).
      Log.debugf(
          "refused internal blob read of %s for tenant %s",
          BlobStore.isAddress(sha256) ? sha256 : "<malformed>",
          TenantId.isValid(tenant) ? tenant : "<malformed>");
      throw new ApiProblem(
          404, "blob-not-found", "Not Found", "no such blob, or the link is not valid (any more)");
    }
    String type =
        ImageFormat.sniff(bytes.get())
            .map(ImageFormat::mediaType)
            .or(() -> AudioTypes.sniff(bytes.get()))
            .or(() -> VideoTypes.sniff(bytes.get()))
            .orElse(MediaType.APPLICATION_OCTET_STREAM);
    Log.debugf("served blob %s (%d bytes) for tenant %s", sha256, bytes.get().length, tenant);
    return Response.ok(bytes.get(), type).header("Cache-Control", "private, no-store").build();
  }
}
