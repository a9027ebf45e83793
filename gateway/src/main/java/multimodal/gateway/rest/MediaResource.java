package multimodal.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import multimodal.gateway.IngestAccepted;
import multimodal.gateway.MediaIds;
import multimodal.gateway.MediaIngestion;
import multimodal.gateway.MediaStatus;
import multimodal.gateway.RequestRefused;
import multimodal.gateway.RequestRules;
import multimodal.gateway.UrlIngestRequest;
import multimodal.gateway.auth.CurrentCaller;
import multimodal.gateway.blob.BlobStore;
import multimodal.gateway.blob.MediaRef;
import multimodal.gateway.blob.MediaRefs;
import multimodal.gateway.blob.Thumbnails;
import multimodal.gateway.config.GatewayConfig;
import multimodal.gateway.grpc.RetrievalClient;
import multimodal.media.ImageLimits;
import multimodal.v1.ingest.VideoTypes;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Ingest (upload, URL, batch), pipeline status, content and delete of the caller's media. */
@Path("/v1/media")
@Tag(name = "media", description = "Ingest images, follow their processing, delete them")
@SecurityRequirement(name = "apiKey")
@Blocking
public class MediaResource {
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(30);

  private final MediaIngestion ingestion;
  private final RetrievalClient retrieval;
  private final MediaRefs refs;
  private final BlobStore blobs;
  private final GatewayConfig config;
  private final CurrentCaller caller;
  private final ObjectMapper json;
  private final RequestRules rules;

  MediaResource(
      MediaIngestion ingestion,
      RetrievalClient retrieval,
      MediaRefs refs,
      BlobStore blobs,
      GatewayConfig config,
      CurrentCaller caller,
      ObjectMapper json,
      RequestRules rules) {
    this.ingestion = ingestion;
    this.retrieval = retrieval;
    this.refs = refs;
    this.blobs = blobs;
    this.config = config;
    this.caller = caller;
    this.json = json;
    this.rules = rules;
  }

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Upload an image, a recording or a video",
      description =
          "Accepts an image (JPEG, PNG, GIF, BMP, WebP, TIFF), a recording (WAV, MP3, Ogg, FLAC) or"
              + " a video (MP4, WebM), judged by its content. Stores it in the blob store"
              + " (content-addressed) and publishes a media.ingest.v1 CloudEvent carrying its"
              + " claim-check URI (or the bytes inline, when so configured); answers once Kafka has"
              + " acknowledged it. Embedding, captioning and indexing follow asynchronously.")
  @APIResponse(
      responseCode = "202",
      description = "On the ingest topic",
      headers = @Header(name = "Location", description = "/v1/media/{mediaId}"),
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = IngestAccepted.class)))
  @APIResponse(
      responseCode = "400",
      description = "Missing file, bad media id, tags or metadata, or a truncated image",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "401",
      description = "Missing or unknown API key",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "409",
      description = "The media id belongs to another tenant",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "413",
      description =
          "An image over gateway.upload.max-bytes (16 MiB), audio or video over"
              + " gateway.upload.audio-video-max-bytes (512 MiB), or, in inline mode, over"
              + " gateway.ingest.inline-max-bytes; the problem names the limit",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "415",
      description = "Not a supported image, recording or video (the problem lists the types)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "429",
      description = "Rate limit of the API key exceeded (Retry-After)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "503",
      description = "Kafka did not acknowledge the event",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response upload(UploadForm form) {
    if (form.file == null || form.file.uploadedFile() == null) {
      throw ApiProblem.badRequest("multipart field 'file' is required");
    }
    IngestAccepted accepted = uploadOne(form.file, form.mediaId, form.tags, form.metadata);
    return accepted(accepted);
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Ingest an image by URL",
      description =
          "Publishes a media.ingest.v1 CloudEvent carrying the URL; the workers fetch the image.")
  @APIResponse(
      responseCode = "202",
      description = "On the ingest topic",
      headers = @Header(name = "Location", description = "/v1/media/{mediaId}"),
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = IngestAccepted.class)))
  @APIResponse(
      responseCode = "400",
      description = "Missing or non-http(s) URI, bad media id, tags or metadata",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "409",
      description = "The media id belongs to another tenant",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "503",
      description = "Kafka did not acknowledge the event",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response ingestUrl(UrlIngestRequest request) {
    if (request == null) {
      throw ApiProblem.badRequest("a JSON body with 'uri' is required");
    }
    return accepted(ingestOne(request));
  }

  @POST
  @Path("/batch")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Ingest many images by URL",
      description =
          "Each item is ingested on its own; the answer lists, in request order, what was accepted"
              + " and what was refused.")
  @APIResponse(
      responseCode = "200",
      description = "Per-item results",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = BatchResult.class)))
  @APIResponse(
      responseCode = "400",
      description = "No items, or more than gateway.upload.max-batch",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public BatchResult batchUrls(BatchRequest request) {
    if (request == null || request.items() == null || request.items().isEmpty()) {
      throw ApiProblem.badRequest("'items' must list at least one {uri, ...}");
    }
    checkBatchSize(request.items().size());
    List<BatchResult.Item> items = new ArrayList<>();
    for (int i = 0; i < request.items().size(); i++) {
      UrlIngestRequest item = request.items().get(i);
      final int index = i;
      items.add(
          attempt(
              index,
              () ->
                  ingestOne(
                      item == null ? new UrlIngestRequest(null, null, null, null, null) : item)));
    }
    return BatchResult.of(items);
  }

  @POST
  @Path("/batch")
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Upload many images",
      description =
          "Repeat the 'file' field; each file is ingested on its own (media id from its content).")
  @APIResponse(
      responseCode = "200",
      description = "Per-item results, in upload order",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = BatchResult.class)))
  public BatchResult batchUpload(BatchUploadForm form) {
    if (form.files == null || form.files.isEmpty()) {
      throw ApiProblem.badRequest("repeat the multipart field 'file' for each image");
    }
    checkBatchSize(form.files.size());
    List<BatchResult.Item> items = new ArrayList<>();
    for (int i = 0; i < form.files.size(); i++) {
      FileUpload file = form.files.get(i);
      items.add(attempt(i, () -> uploadOne(file, null, form.tags, form.metadata)));
    }
    return BatchResult.of(items);
  }

  @GET
  @Path("/{mediaId}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Pipeline status of one item",
      description =
          "state 'accepted' while only the gateway knows it; 'indexed' once retrieval-service has"
              + " it, with the models that embedded it, caption and OCR state.")
  @APIResponse(
      responseCode = "200",
      description = "Known",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = MediaStatus.class)))
  @APIResponse(
      responseCode = "404",
      description = "Unknown in the caller's tenant",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public MediaStatus status(
      @RestPath @Schema(type = SchemaType.STRING, pattern = "[A-Za-z0-9._:-]{1,128}")
          String mediaId) {
    String tenant = checkedTenantFor(mediaId);
    java.util.Optional<MediaRef> ref = refs.find(tenant, mediaId);
    try {
      MediaStatus indexed = retrieval.getMedia(tenant, mediaId).await().atMost(STATUS_TIMEOUT);
      return indexed.withImageTruncated(ref.map(MediaRef::truncation).orElse(null));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
      return ref.map(
              own -> MediaStatus.accepted(mediaId, tenant, own.contentType(), own.truncation()))
          .orElseThrow(() -> RequestRefused.notFound(tenant, mediaId));
    }
  }

  @DELETE
  @Path("/{mediaId}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Delete one item everywhere",
      description =
          "Publishes a tombstone on media.ingest.v1 keyed by the media id; the index and workers"
              + " drop it.")
  @APIResponse(
      responseCode = "202",
      description = "Tombstone acknowledged by Kafka",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Deleted.class)))
  @APIResponse(
      responseCode = "404",
      description = "Unknown in the caller's tenant",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response delete(@RestPath String mediaId) {
    ingestion.delete(caller.tenant(), mediaId);
    return Response.accepted(new Deleted(mediaId, "deleting")).build();
  }

  @GET
  @Path("/{mediaId}/content")
  @Produces(MediaType.WILDCARD)
  @Operation(
      summary = "The uploaded image",
      description = "Bytes of an uploaded item; a URL-ingested item redirects to its URL.")
  @APIResponse(responseCode = "200", description = "The image")
  @APIResponse(
      responseCode = "404",
      description = "Unknown in the caller's tenant, or no bytes held",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response content(@RestPath String mediaId) {
    return servedBytes(mediaId, (ref, bytes) -> Response.ok(bytes, ref.contentType()));
  }

  @GET
  @Path("/{mediaId}/thumbnail")
  @Produces(MediaType.WILDCARD)
  @Operation(
      summary = "A small JPEG preview",
      description =
          "Longest side gateway.blobs.thumbnail-size; decoded like the workers decode (EXIF"
              + " orientation applied, WebP); images the shared decoder refuses are served as they"
              + " are.")
  @APIResponse(responseCode = "200", description = "The preview")
  @APIResponse(
      responseCode = "404",
      description = "Unknown in the caller's tenant",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Response thumbnail(@RestPath String mediaId) {
    ImageLimits limits =
        new ImageLimits(config.upload().maxBytes().asLongValue(), config.upload().maxPixels());
    return servedBytes(
        mediaId,
        (ref, bytes) ->
            Thumbnails.jpeg(bytes, config.blobs().thumbnailSize(), limits)
                .map(jpeg -> Response.ok(jpeg, "image/jpeg"))
                .orElseGet(() -> Response.ok(bytes, ref.contentType())));
  }

  /** JSON body of a DELETE's answer. */
  public record Deleted(String mediaId, @Schema(enumeration = {"deleting"}) String status) {}

  /** JSON body of {@code POST /v1/media/batch}. */
  public record BatchRequest(@Schema(required = true) List<UrlIngestRequest> items) {}

  /** Per-item results of a batch, in request order. */
  public record BatchResult(int accepted, int failed, List<Item> items) {
    static BatchResult of(List<Item> items) {
      int ok = (int) items.stream().filter(item -> item.problem() == null).count();
      return new BatchResult(ok, items.size() - ok, items);
    }

    /** Either mediaId/eventId (accepted) or problem (refused). */
    @com.fasterxml.jackson.annotation.JsonInclude(
        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Item(int index, String mediaId, String eventId, String status, Problem problem) {}
  }

  private BatchResult.Item attempt(int index, java.util.function.Supplier<IngestAccepted> ingest) {
    try {
      IngestAccepted accepted = ingest.get();
      return new BatchResult.Item(
          index, accepted.mediaId(), accepted.eventId(), accepted.status(), null);
    } catch (RequestRefused refused) {
      return refusedItem(index, ApiProblem.of(refused));
    } catch (ApiProblem problem) {
      return refusedItem(index, problem);
    }
  }

  private static BatchResult.Item refusedItem(int index, ApiProblem problem) {
    return new BatchResult.Item(
        index,
        null,
        null,
        "refused",
        new Problem(problem.type(), problem.title(), problem.status(), problem.getMessage(), null));
  }

  private void checkBatchSize(int size) {
    rules.batch(size, "items");
  }

  private IngestAccepted uploadOne(
      FileUpload file, String mediaId, List<String> tags, String metadata) {
    // The multipart file is on disk already: only its first bytes are read to judge its type and
    // limit; a large video is then copied from there to the blob store, never read into memory.
    return ingestion.ingestFile(
        caller.tenant(), file.uploadedFile(), mediaId, tags, parseMetadata(metadata));
  }

  private IngestAccepted ingestOne(UrlIngestRequest request) {
    return ingestion.ingestUri(
        caller.tenant(),
        request.uri(),
        request.mediaId(),
        request.contentType(),
        request.tags(),
        request.metadata());
  }

  private static Response accepted(IngestAccepted accepted) {
    return Response.accepted(accepted)
        .location(URI.create("/v1/media/" + accepted.mediaId()))
        .build();
  }

  private String checkedTenantFor(String mediaId) {
    if (!MediaIds.isValid(mediaId)) {
      throw ApiProblem.badRequest("mediaId must match " + MediaIds.VALID.pattern());
    }
    return caller.tenant();
  }

  /**
   * The caller's own item as {@code answer} builds it from its stored bytes (privately cacheable);
   * an item ingested by URL redirects there, since the gateway holds no bytes of it.
   */
  private Response servedBytes(
      String mediaId, BiFunction<MediaRef, byte[], Response.ResponseBuilder> answer) {
    MediaRef ref = ownRef(mediaId);
    if (ref.blob() == null) {
      return Response.seeOther(URI.create(ref.uri())).build();
    }
    if (!VideoTypes.isStillImage(ref.contentType())) {
      // Audio and video may be hundreds of MiB: streamed from the store as they are.
      BlobStore.Opened opened =
          blobs.open(ref.blob()).orElseThrow(() -> RequestRefused.notFound(ref.tenant(), mediaId));
      return Response.ok(opened.stream(), ref.contentType())
          .header("Content-Length", opened.size())
          .header("Cache-Control", "private, max-age=86400")
          .build();
    }
    byte[] bytes =
        blobs.get(ref.blob()).orElseThrow(() -> RequestRefused.notFound(ref.tenant(), mediaId));
    return answer.apply(ref, bytes).header("Cache-Control", "private, max-age=86400").build();
  }

  private MediaRef ownRef(String mediaId) {
    String tenant = checkedTenantFor(mediaId);
    return refs.find(tenant, mediaId).orElseThrow(() -> RequestRefused.notFound(tenant, mediaId));
  }

  private Map<String, String> parseMetadata(String text) {
    if (text == null || text.isBlank()) {
      return Map.of();
    }
    JsonNode node;
    try {
      node = json.readTree(text);
    } catch (JsonProcessingException e) {
      throw ApiProblem.badRequest("metadata is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiProblem.badRequest("metadata must be a JSON object");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    var fields = node.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      if (!field.getValue().isValueNode() || field.getValue().isNull()) {
        throw ApiProblem.badRequest(
            "metadata." + field.getKey() + " must be a string, number or boolean");
      }
      metadata.put(field.getKey(), field.getValue().asText());
    }
    return metadata;
  }
}
