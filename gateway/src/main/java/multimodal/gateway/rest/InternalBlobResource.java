package multimodal.gateway.rest;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import multimodal.gateway.ImageFormat;
import multimodal.gateway.blob.BlobStore;
import multimodal.gateway.config.GatewayConfig;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Claim-check reads for the workers: {@code GET /internal/blobs/<sha256>} with
 * {@code Authorization: Bearer <gateway.blobs.internal-token>}. Not an API-key route: workers act
 * for no tenant, and a blob address is only known from an ingest event. Keep /internal/ off the
 * public ingress.
 */
@Path("/internal/blobs")
@Blocking
public class InternalBlobResource {
  private final BlobStore blobs;
  private final Optional<byte[]> token;

  InternalBlobResource(BlobStore blobs, GatewayConfig config) {
    this.blobs = blobs;
    this.token = config.blobs().internalToken().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  @GET
  @Path("/{sha256}")
  @Produces(MediaType.WILDCARD)
  @Operation(hidden = true)
  public Response read(@RestPath String sha256, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    if (!authorized(authorization)) {
      Log.debugf("refused internal blob read of %s: bad or missing token", sha256);
      throw new ApiProblem(401, "unauthenticated", "Unauthorized", "the internal blob token is required (Authorization: Bearer)");
    }
    if (!BlobStore.isAddress(sha256)) {
      throw ApiProblem.badRequest("a blob address is 64 lower-case hex digits");
    }
    byte[] bytes =
        blobs.get(sha256).orElseThrow(() -> new ApiProblem(404, "blob-not-found", "Not Found", "no blob " + sha256));
    String type = ImageFormat.sniff(bytes).map(ImageFormat::mediaType).orElse(MediaType.APPLICATION_OCTET_STREAM);
    Log.debugf("served blob %s (%d bytes)", sha256, bytes.length);
    return Response.ok(bytes, type).header("Cache-Control", "private, max-age=31536000, immutable").build();
  }

  private boolean authorized(String authorization) {
    if (token.isEmpty() || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(token.get(), authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8));
  }
}
