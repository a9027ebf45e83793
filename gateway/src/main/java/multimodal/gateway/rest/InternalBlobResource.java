package multimodal.gateway.rest;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import multimodal.gateway.RequestRules;
import multimodal.gateway.blob.BlobStore;
import multimodal.gateway.blob.ClaimCheckUrls;
import multimodal.gateway.blob.MediaRefs;
import multimodal.v1.TenantId;
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
    Optional<BlobStore.Opened> blob =
        urls.permits(sha256, tenant, expires, sig) && refs.holdsBlob(tenant, sha256)
            ? blobs.open(sha256)
            : Optional.empty();
    if (blob.isEmpty()) {
      // Both come from the request: logged only when well-formed (no line breaks into the log).
      Log.debugf(
          "refused internal blob read of %s for tenant %s",
          BlobStore.isAddress(sha256) ? sha256 : "<malformed>",
          TenantId.isValid(tenant) ? tenant : "<malformed>");
      throw new ApiProblem(
          404, "blob-not-found", "Not Found", "no such blob, or the link is not valid (any more)");
    }
    // Streamed, never read into memory: a video blob may be hundreds of MiB. The type comes from
    // the first bytes, read ahead and given back to the stream.
    BufferedInputStream stream = new BufferedInputStream(blob.get().stream());
    String type;
    try {
      stream.mark(RequestRules.SNIFF_BYTES);
      byte[] head = stream.readNBytes(RequestRules.SNIFF_BYTES);
      stream.reset();
      type = RequestRules.sniff(head).orElse(MediaType.APPLICATION_OCTET_STREAM);
    } catch (IOException e) {
      closeQuietly(stream);
      throw new UncheckedIOException("cannot read blob " + sha256, e);
    }
    Log.debugf("serving blob %s (%d bytes) for tenant %s", sha256, blob.get().size(), tenant);
    return Response.ok(stream, type)
        .header("Content-Length", blob.get().size())
        .header("Cache-Control", "private, no-store")
        .build();
  }

  private static void closeQuietly(InputStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // nothing more to do
    }
  }
}
