package multimodal.gateway.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Base64;
import java.util.List;
import multimodal.gateway.RetrievalRequests;
import multimodal.gateway.TextToImage;
import multimodal.gateway.auth.CurrentCaller;
import multimodal.gateway.grpc.RetrievalClient;
import multimodal.v1.GenerateProgress;
import multimodal.v1.GenerateRequest;
import multimodal.v1.GenerateResult;
import multimodal.v1.GeneratedImage;
import multimodal.v1.ImageScore;
import multimodal.v1.ImageSource;
import multimodal.v1.Limits;
import multimodal.v1.ModelRef;
import multimodal.v1.RerankRequest;
import multimodal.v1.WithheldImage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Text to image (streamed as Server-Sent Events, candidates re-ranked by CLIP) and CLIP re-ranking
 * of images the caller supplies. A chosen result is ingested through {@code POST /v1/media} like
 * any image, with its prompt and seed as metadata (the web UI does so).
 */
@Path("/v1")
@Tag(name = "generate", description = "Text to image with CLIP re-ranking")
@SecurityRequirement(name = "apiKey")
public class GenerateResource {
  private final TextToImage textToImage;
  private final RetrievalClient retrieval;
  private final RetrievalRequests retrievalRequests;
  private final CurrentCaller caller;
  private final ObjectMapper json;

  GenerateResource(
      TextToImage textToImage,
      RetrievalClient retrieval,
      RetrievalRequests retrievalRequests,
      CurrentCaller caller,
      ObjectMapper json) {
    this.textToImage = textToImage;
    this.retrieval = retrieval;
    this.retrievalRequests = retrievalRequests;
    this.caller = caller;
    this.json = json;
  }

  @Schema(description = "What to generate; unset numbers take the service's defaults")
  public record GenerateBody(
      @Schema(required = true) String prompt,
      String negativePrompt,
      @Schema(description = "1.." + Limits.GENERATE_MAX_CANDIDATES + "; default 1")
          Integer candidates,
      @Schema(description = "best candidates kept after re-ranking; default all") Integer topK,
      @Schema(description = "1.." + Limits.GENERATE_MAX_STEPS) Integer steps,
      Float guidanceScale,
      @Schema(description = "unset: chosen by the service and returned") Long seed,
      @Schema(description = "multiple of 8, at most " + Limits.GENERATE_MAX_SIDE) Integer width,
      Integer height,
      @Schema(description = "diffusers scheduler class, e.g. EulerDiscreteScheduler")
          String scheduler) {}

  public record Progress(int step, int steps, int candidates) {
    static Progress of(GenerateProgress p) {
      return new Progress(p.getStep(), p.getSteps(), p.getCandidates());
    }
  }

  public record Model(String name, String version, boolean fixture) {
    static Model of(ModelRef ref) {
      return new Model(ref.getName(), ref.getVersion(), ref.getFixture());
    }
  }

  public record Candidate(
      int rank,
      int index,
      long seed,
      float clipScore,
      float unsafeScore,
      int width,
      int height,
      @Schema(description = "the PNG, base64") String png) {
    static Candidate of(GeneratedImage image) {
      return new Candidate(
          image.getRank(),
          image.getIndex(),
          image.getSeed(),
          image.getClipScore(),
          image.getUnsafeScore(),
          image.getWidth(),
          image.getHeight(),
          Base64.getEncoder().encodeToString(image.getPng().toByteArray()));
    }
  }

  public record Withheld(int index, long seed, String reason, float unsafeScore) {
    static Withheld of(WithheldImage w) {
      return new Withheld(w.getIndex(), w.getSeed(), w.getReason(), w.getUnsafeScore());
    }
  }

  public record Result(
      long seed,
      Model model,
      String scheduler,
      int steps,
      Model clipModel,
      List<Candidate> candidates,
      List<Withheld> withheld) {
    static Result of(GenerateResult r) {
      return new Result(
          r.getSeed(),
          Model.of(r.getModel()),
          r.getScheduler(),
          r.getSteps(),
          r.hasClipModel() ? Model.of(r.getClipModel()) : null,
          r.getImagesList().stream().map(Candidate::of).toList(),
          r.getWithheldList().stream().map(Withheld::of).toList());
    }
  }

  @POST
  @Path("/generate")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(
      summary = "Generate images from a prompt, re-ranked by CLIP (Server-Sent Events)",
      description =
          "GeneratorService.Generate through the gateway: events 'progress' ({step, steps,"
              + " candidates}) after each denoising step, then one 'result' ({seed, model,"
              + " scheduler, steps, clipModel, candidates: [{rank, index, seed, clipScore,"
              + " unsafeScore, width, height, png}], withheld: [{index, seed, reason,"
              + " unsafeScore}]}) with the candidates best first, or one 'error' (a problem object)"
              + " if it fails midway. The same seed and settings give the same bytes. Bounds and"
              + " the tenant's quota are checked before the stream starts.")
  @APIResponse(responseCode = "200", description = "text/event-stream")
  @APIResponse(
      responseCode = "400",
      description = "No prompt, or a number out of bounds",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "429",
      description = "The tenant's Generate quota is used up (Retry-After)",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Multi<OutboundSseEvent> generate(GenerateBody body, @Context Sse sse) {
    if (body == null) {
      throw ApiProblem.badRequest("a JSON body is required");
    }
    String tenant = caller.tenant();
    GenerateRequest request = textToImage.admit(tenant, request(body));
    return textToImage
        .generate(tenant, request)
        .map(
            event ->
                event.hasResult()
                    ? SseEvents.event(sse, json, "result", Result.of(event.getResult()))
                    : SseEvents.event(sse, json, "progress", Progress.of(event.getProgress())))
        .onFailure()
        .recoverWithItem(
            error ->
                SseEvents.event(
                    sse,
                    json,
                    "error",
                    SseEvents.problemOf(error, "Generation failed", "generator", "/v1/generate")));
  }

  private static GenerateRequest request(GenerateBody body) {
    GenerateRequest.Builder request =
        GenerateRequest.newBuilder().setPrompt(body.prompt() == null ? "" : body.prompt());
    if (body.negativePrompt() != null) {
      request.setNegativePrompt(body.negativePrompt());
    }
    if (body.candidates() != null) {
      request.setCandidates(positive("candidates", body.candidates()));
    }
    if (body.topK() != null) {
      request.setTopK(positive("topK", body.topK()));
    }
    if (body.steps() != null) {
      request.setSteps(positive("steps", body.steps()));
    }
    if (body.guidanceScale() != null) {
      request.setGuidanceScale(body.guidanceScale());
    }
    if (body.seed() != null) {
      request.setSeed(body.seed());
    }
    if (body.width() != null) {
      request.setWidth(positive("width", body.width()));
    }
    if (body.height() != null) {
      request.setHeight(positive("height", body.height()));
    }
    if (body.scheduler() != null) {
      request.setScheduler(body.scheduler());
    }
    return request.build();
  }

  /** 0 means "the default" in the contract; given explicitly in JSON it is refused. */
  private static int positive(String field, int value) {
    if (value < 1) {
      throw ApiProblem.badRequest("'" + field + "' must be at least 1, got " + value);
    }
    return value;
  }

  @Schema(description = "Images to score against a text")
  public record RerankImagesBody(
      @Schema(required = true) String text,
      @Schema(
              required = true,
              description = "base64 images (PNG, JPEG, WebP), at most " + Limits.RERANK_MAX_IMAGES)
          List<String> images,
      String model) {}

  public record ImageRank(int rank, int index, float score) {}

  public record ImageRanking(Model model, List<ImageRank> images) {}

  @POST
  @Path("/rerank/images")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(
      summary = "Order your images by CLIP similarity to a text",
      description =
          "RetrievalService.Rerank over caller images: the text and each image embedded by CLIP,"
              + " compared by cosine (the score search uses), best first; index is the image's"
              + " place in the request.")
  @APIResponse(
      responseCode = "200",
      description = "The images, best first",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ImageRanking.class)))
  @APIResponse(
      responseCode = "400",
      description = "No text, no images or too many, an image that is not one",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Uni<ImageRanking> rerankImages(RerankImagesBody body) {
    if (body == null || body.images() == null || body.images().isEmpty()) {
      throw ApiProblem.badRequest("give 'text' and 1.." + Limits.RERANK_MAX_IMAGES + " 'images'");
    }
    RerankRequest.Builder request =
        RerankRequest.newBuilder().setText(body.text() == null ? "" : body.text());
    for (int i = 0; i < body.images().size(); i++) {
      request.addImages(ImageSource.newBuilder().setData(decode(body.images().get(i), i)));
    }
    if (body.model() != null) {
      request.setModel(body.model());
    }
    return retrieval
        .rerank(caller.tenant(), retrievalRequests.rerank(request.build()))
        .map(
            response -> {
              List<ImageScore> scores = response.getImagesList();
              return new ImageRanking(
                  Model.of(response.getModel()),
                  java.util.stream.IntStream.range(0, scores.size())
                      .mapToObj(
                          r ->
                              new ImageRank(
                                  r + 1, scores.get(r).getIndex(), scores.get(r).getScore()))
                      .toList());
            });
  }

  private static ByteString decode(String base64, int index) {
    if (base64 == null) {
      throw ApiProblem.badRequest("'images[" + index + "]' must not be null");
    }
    if (base64.length() > Limits.INLINE_IMAGE_MAX_BASE64_CHARS) {
      throw ApiProblem.badRequest("'images[" + index + "]' is over the image size limit");
    }
    try {
      return ByteString.copyFrom(Base64.getDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest("'images[" + index + "]' is not base64");
    }
  }
}
