package multimodal.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import multimodal.gateway.ImageFormat;
import multimodal.gateway.IngestAccepted;
import multimodal.gateway.MediaIds;
import multimodal.gateway.MediaStatus;
import multimodal.gateway.UrlIngestRequest;
import multimodal.gateway.config.GatewayConfig;
import multimodal.gateway.grpc.RetrievalClient;
import multimodal.gateway.messaging.IngestPublisher;
import multimodal.v1.ingest.IngestEvent;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** Ingest (upload or URL) onto media.ingest.v1, and the pipeline status of one item. */
@Path("/v1/media")
@Tag(name = "media", description = "Ingest images and follow their processing")
public class MediaResource {
  private static final int MAX_TAGS = 64;
  private static final int MAX_TAG_LENGTH = 128;

  private final IngestPublisher publisher;
  private final RetrievalClient retrieval;
  private final GatewayConfig config;
  private final ObjectMapper json;
  private final MeterRegistry meters;

  MediaResource(
      IngestPublisher publisher, RetrievalClient retrieval, GatewayConfig config, ObjectMapper json, MeterRegistry meters) {
    this.publisher = publisher;
    this.retrieval = retrieval;
    this.config = config;
    this.json = json;
    this.meters = meters;
  }

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Upload an image",
      description =
          "Publishes the image inline in a media.ingest.v1 CloudEvent and answers once Kafka has acknowledged it."
              + " Embedding, captioning and indexing follow asynchronously.")
  @APIResponse(
      responseCode = "202",
      description = "On the ingest topic",
      headers = @Header(name = "Location", description = "/v1/media/{mediaId}"),
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IngestAccepted.class)))
  @APIResponse(responseCode = "400", description = "Missing file, bad media id, tags or metadata", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "413", description = "Image larger than gateway.upload.max-bytes", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "415", description = "Not a JPEG, PNG, GIF, BMP, WebP or TIFF image", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "503", description = "Kafka did not acknowledge the event", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  public Response upload(UploadForm form) {
    if (form.file == null || form.file.uploadedFile() == null) {
      throw ApiProblem.badRequest("multipart field 'file' is required");
    }
    long max = config.upload().maxBytes().asLongValue();
    if (form.file.size() > max) {
      throw new ApiProblem(
          413, "media-too-large", "Media too large", "the image has " + form.file.size() + " bytes; the limit is " + max);
    }
    byte[] bytes = read(form.file.uploadedFile());
    if (bytes.length == 0) {
      throw ApiProblem.badRequest("the uploaded file is empty");
    }
    ImageFormat format =
        ImageFormat.sniff(bytes)
            .orElseThrow(
                () ->
                    new ApiProblem(
                        415,
                        "unsupported-media-type",
                        "Unsupported media type",
                        "the file is not a JPEG, PNG, GIF, BMP, WebP or TIFF image (judged by its content)"));
    String mediaId = mediaIdOr(form.mediaId, () -> MediaIds.sha256(bytes));
    IngestEvent event =
        new IngestEvent(
            UUID.randomUUID().toString(),
            config.ingest().source(),
            Instant.now(),
            mediaId,
            IngestEvent.DEFAULT_TENANT,
            format.mediaType(),
            null,
            bytes,
            parseMetadata(form.metadata),
            checkTags(form.tags));
    return publish(event, "upload");
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Ingest an image by URL",
      description = "Publishes a media.ingest.v1 CloudEvent carrying the URL; the workers fetch the image.")
  @APIResponse(
      responseCode = "202",
      description = "On the ingest topic",
      headers = @Header(name = "Location", description = "/v1/media/{mediaId}"),
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IngestAccepted.class)))
  @APIResponse(responseCode = "400", description = "Missing or non-http(s) URI, bad media id, tags or metadata", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "503", description = "Kafka did not acknowledge the event", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  public Response ingestUrl(UrlIngestRequest request) {
    if (request == null) {
      throw ApiProblem.badRequest("a JSON body with 'uri' is required");
    }
    String uri = checkUri(request.uri());
    String contentType = request.contentType();
    if (contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith("image/")) {
      throw ApiProblem.badRequest("contentType must be an image/* media type, got '" + contentType + "'");
    }
    String mediaId = mediaIdOr(request.mediaId(), () -> MediaIds.sha256(uri));
    Map<String, String> metadata = request.metadata() == null ? Map.of() : request.metadata();
    if (metadata.values().stream().anyMatch(value -> value == null)) {
      throw ApiProblem.badRequest("metadata values must not be null");
    }
    IngestEvent event =
        new IngestEvent(
            UUID.randomUUID().toString(),
            config.ingest().source(),
            Instant.now(),
            mediaId,
            IngestEvent.DEFAULT_TENANT,
            contentType,
            uri,
            null,
            metadata,
            checkTags(request.tags()));
    return publish(event, "uri");
  }

  @GET
  @Path("/{mediaId}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Pipeline status of one item", description = "What the index knows: content type, metadata, which models embedded it, caption and OCR state.")
  @APIResponse(responseCode = "200", description = "Known to the index", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MediaStatus.class)))
  @APIResponse(responseCode = "404", description = "Not (yet) in the index", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  public Uni<MediaStatus> status(
      @RestPath @Schema(type = SchemaType.STRING, pattern = "[A-Za-z0-9._:-]{1,128}") String mediaId) {
    if (!MediaIds.isValid(mediaId)) {
      throw ApiProblem.badRequest("mediaId must match " + MediaIds.VALID.pattern());
    }
    return retrieval.getMedia(IngestEvent.DEFAULT_TENANT, mediaId);
  }

  private Response publish(IngestEvent event, String kind) {
    publisher.publish(event);
    meters.counter("gateway.ingest.accepted", "kind", kind).increment();
    Log.infof("accepted media %s (%s) as event %s", event.mediaId(), event.inline() ? event.data().length + " bytes" : "uri", event.eventId());
    return Response.accepted(IngestAccepted.of(event.mediaId(), event.eventId()))
        .location(URI.create("/v1/media/" + event.mediaId()))
        .build();
  }

  private static String mediaIdOr(String given, java.util.function.Supplier<String> fallback) {
    if (given == null || given.isBlank()) {
      return fallback.get();
    }
    if (!MediaIds.isValid(given)) {
      throw ApiProblem.badRequest("mediaId must match " + MediaIds.VALID.pattern());
    }
    return given;
  }

  private static String checkUri(String value) {
    if (value == null || value.isBlank()) {
      throw ApiProblem.badRequest("'uri' is required");
    }
    URI uri;
    try {
      uri = new URI(value.strip());
    } catch (URISyntaxException e) {
      throw ApiProblem.badRequest("'uri' is not a valid URI: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw ApiProblem.badRequest("'uri' must be an absolute http or https URL with a host");
    }
    return uri.toString();
  }

  private static List<String> checkTags(List<String> tags) {
    if (tags == null) {
      return List.of();
    }
    if (tags.size() > MAX_TAGS) {
      throw ApiProblem.badRequest("at most " + MAX_TAGS + " tags");
    }
    for (String tag : tags) {
      if (tag == null || tag.isBlank() || tag.length() > MAX_TAG_LENGTH) {
        throw ApiProblem.badRequest("tags must be non-blank and at most " + MAX_TAG_LENGTH + " characters");
      }
    }
    return tags;
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
        throw ApiProblem.badRequest("metadata." + field.getKey() + " must be a string, number or boolean");
      }
      metadata.put(field.getKey(), field.getValue().asText());
    }
    return metadata;
  }

  private static byte[] read(java.nio.file.Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the uploaded file", e);
    }
  }
}
