package multimodal.gateway.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.Locale;
import multimodal.gateway.AskQuestions;
import multimodal.gateway.GeneratorRequests;
import multimodal.gateway.ImageInputs;
import multimodal.gateway.RequestRefused;
import multimodal.gateway.RequestRules;
import multimodal.gateway.RetrievalRequests;
import multimodal.gateway.auth.CurrentCaller;
import multimodal.gateway.grpc.GeneratorClient;
import multimodal.gateway.grpc.RetrievalClient;
import multimodal.v1.AskPart;
import multimodal.v1.AskRequest;
import multimodal.v1.CaptionRequest;
import multimodal.v1.CaptionTask;
import multimodal.v1.ClassifyRequest;
import multimodal.v1.GeneratedText;
import multimodal.v1.ImageSource;
import multimodal.v1.LengthPreset;
import multimodal.v1.Limits;
import multimodal.v1.OcrRequest;
import multimodal.v1.RankTextsRequest;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Understanding one image: zero-shot classify, rank texts, caption, ask (streamed) and OCR. */
@Path("/v1")
@Tag(name = "understand", description = "Classify, rank texts, caption, ask and read one image")
@SecurityRequirement(name = "apiKey")
public class InsightResource {
  private final RetrievalClient retrieval;
  private final GeneratorClient generator;
  private final ImageInputs images;
  private final CurrentCaller caller;
  private final ObjectMapper json;
  private final RetrievalRequests retrievalRequests;
  private final GeneratorRequests generatorRequests;
  private final AskQuestions questions;

  InsightResource(
      RetrievalClient retrieval,
      GeneratorClient generator,
      ImageInputs images,
      CurrentCaller caller,
      ObjectMapper json,
      RetrievalRequests retrievalRequests,
      GeneratorRequests generatorRequests,
      AskQuestions questions) {
    this.retrieval = retrieval;
    this.generator = generator;
    this.images = images;
    this.caller = caller;
    this.json = json;
    this.retrievalRequests = retrievalRequests;
    this.generatorRequests = generatorRequests;
    this.questions = questions;
  }

  public record ClassifyBody(
      @Schema(description = "An item of yours") String mediaId,
      @Schema(description = "Or an http(s) image URL") String uri,
      @Schema(required = true, description = "Your labels", examples = "[\"a cat\",\"a dog\"]")
          List<String> labels,
      @Schema(
              description =
                  "Prompt templates with {} for the label; default CLIP's ImageNet templates")
          List<String> templates,
      String model)
      implements ImageInputs.ImageInput {}

  public record Classification(String model, String modelVersion, List<Label> labels) {
    public record Label(String label, float probability, float logit) {}
  }

  public record RankBody(
      String mediaId, String uri, @Schema(required = true) List<String> texts, String model)
      implements ImageInputs.ImageInput {}

  public record Ranking(String model, String modelVersion, List<Scored> scores) {
    public record Scored(String text, int index, float probability, float logit) {}
  }

  public record CaptionBody(
      String mediaId,
      String uri,
      @Schema(enumeration = {"caption", "detailed", "more-detailed"}) String task,
      @Schema(enumeration = {"short", "medium", "long"}) String length,
      String model)
      implements ImageInputs.ImageInput {}

  @Schema(
      description =
          "One image (mediaId or uri) and a question; or, instead of all three, 'parts': text and"
              + " images interleaved in the order the model reads them")
  public record AskBody(
      @Schema(description = "An item of yours (single-image form)") String mediaId,
      @Schema(description = "Or an http(s) image URL (single-image form)") String uri,
      @Schema(description = "The question about that image (single-image form)") String question,
      @Schema(
              description =
                  "A question over several images: texts and images in order, e.g. [{mediaId},"
                      + " {mediaId}, {text: \"which image is red, the first or the second?\"}],"
                      + " or examples then a query (few-shot). At most "
                      + Limits.ASK_MAX_PARTS
                      + " parts, 1 to "
                      + Limits.ASK_MAX_IMAGES
                      + " images, and a text that is not blank",
              maxItems = Limits.ASK_MAX_PARTS)
          List<AskPartBody> parts,
      Integer maxNewTokens,
      String model)
      implements ImageInputs.ImageInput {}

  @Schema(description = "Exactly one of text, mediaId (an item of yours) and uri (an http(s) URL)")
  public record AskPartBody(String text, String mediaId, String uri) {}

  public record OcrBody(
      String mediaId, String uri, @Schema(description = "e.g. [\"eng\"]") List<String> languages)
      implements ImageInputs.ImageInput {}

  /**
   * A generated text (caption, answer, OCR text) and the model that made it.
   *
   * @param fixture true when a generated demo fixture model wrote it (it knows colours and shapes
   *     only)
   */
  public record Generated(
      String text,
      String model,
      String modelVersion,
      boolean fixture,
      int generatedTokens,
      Long totalMicros) {
    static Generated of(GeneratedText text) {
      return new Generated(
          text.getText(),
          text.getModelName(),
          text.getModelVersion(),
          text.getFixture(),
          text.getGeneratedTokens(),
          text.hasTimings() ? text.getTimings().getTotalMicros() : null);
    }
  }

  @POST
  @Path("/classify")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(
      summary = "Zero-shot classify one image over your labels",
      description =
          "RetrievalService.Classify: CLIP, prompt templates ensembled, softmax over the labels.")
  @APIResponse(
      responseCode = "200",
      description = "Labels, most probable first",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Classification.class)))
  @APIResponse(
      responseCode = "400",
      description = "No image or no labels",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Uni<Classification> classify(ClassifyBody body) {
    if (body == null) {
      throw ApiProblem.badRequest("a JSON body is required");
    }
    ClassifyRequest.Builder request =
        ClassifyRequest.newBuilder()
            .setImage(images.target(body))
            .addAllLabels(strings(body.labels()));
    if (body.templates() != null) {
      request.addAllTemplates(strings(body.templates()));
    }
    if (body.model() != null) {
      request.setModel(body.model());
    }
    return retrieval
        .classify(caller.tenant(), retrievalRequests.classify(request.build()))
        .map(
            response ->
                new Classification(
                    response.getModelName(),
                    response.getModelVersion(),
                    response.getLabelsList().stream()
                        .map(
                            l ->
                                new Classification.Label(
                                    l.getLabel(), l.getProbability(), l.getLogit()))
                        .toList()));
  }

  @POST
  @Path("/rank-texts")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(
      summary = "Rank candidate texts for one image",
      description = "RetrievalService.RankTexts: softmax over CLIP's logit-scaled cosines.")
  @APIResponse(
      responseCode = "200",
      description = "Texts, most probable first",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Ranking.class)))
  public Uni<Ranking> rankTexts(RankBody body) {
    if (body == null) {
      throw ApiProblem.badRequest("a JSON body is required");
    }
    RankTextsRequest.Builder request =
        RankTextsRequest.newBuilder()
            .setImage(images.target(body))
            .addAllTexts(strings(body.texts()));
    if (body.model() != null) {
      request.setModel(body.model());
    }
    return retrieval
        .rankTexts(caller.tenant(), retrievalRequests.rankTexts(request.build()))
        .map(
            response ->
                new Ranking(
                    response.getModelName(),
                    response.getModelVersion(),
                    response.getScoresList().stream()
                        .map(
                            s ->
                                new Ranking.Scored(
                                    s.getText(), s.getIndex(), s.getProbability(), s.getLogit()))
                        .toList()));
  }

  @POST
  @Path("/caption")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(summary = "Caption one image", description = "GeneratorService.Caption.")
  @APIResponse(
      responseCode = "200",
      description = "The caption",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Generated.class)))
  public Uni<Generated> caption(CaptionBody body) {
    if (body == null) {
      throw ApiProblem.badRequest("a JSON body is required");
    }
    CaptionRequest.Builder request =
        CaptionRequest.newBuilder()
            .addImages(images.source(caller.tenant(), body))
            .setTask(task(body.task()))
            .setLength(length(body.length()));
    if (body.model() != null) {
      request.setModel(body.model());
    }
    return generator
        .caption(caller.tenant(), generatorRequests.caption(request.build()))
        .map(
            response -> {
              if (response.getCaptionsCount() == 0) {
                throw new ApiProblem(
                    502, "upstream-empty", "Bad Gateway", "the generator returned no caption");
              }
              return Generated.of(response.getCaptions(0));
            });
  }

  @POST
  @Path("/ocr")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(summary = "Read the text printed in one image", description = "GeneratorService.Ocr.")
  @APIResponse(
      responseCode = "200",
      description = "The text",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Generated.class)))
  public Uni<Generated> ocr(OcrBody body) {
    if (body == null) {
      throw ApiProblem.badRequest("a JSON body is required");
    }
    OcrRequest.Builder request =
        OcrRequest.newBuilder().addImages(images.source(caller.tenant(), body));
    if (body.languages() != null) {
      request.addAllLanguages(strings(body.languages()));
    }
    return generator
        .ocr(caller.tenant(), generatorRequests.ocr(request.build()))
        .map(
            response -> {
              if (response.getTextsCount() == 0) {
                throw new ApiProblem(
                    502, "upstream-empty", "Bad Gateway", "the generator returned no text");
              }
              return Generated.of(response.getTexts(0));
            });
  }

  @POST
  @Path("/ask")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(
      summary = "Ask a question about one image or several (Server-Sent Events)",
      description =
          "GeneratorService.Ask, streamed: events 'token' ({\"token\":...}) as the answer is"
              + " generated, then one 'final' (the whole answer and its model), or one 'error' (a"
              + " problem object) if it fails midway. One image: {mediaId|uri, question}. Several"
              + " (interleaved, few-shot): {parts: [{mediaId}|{uri}|{text}, ...]}; mediaIds are"
              + " items of the caller's tenant. Bad input is refused before the stream starts.")
  @APIResponse(responseCode = "200", description = "text/event-stream")
  @APIResponse(
      responseCode = "400",
      description =
          "No image or question, an empty or wrong part, too many parts or images, a bad URL",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "404",
      description = "A mediaId that is no item of the caller's tenant",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "413",
      description = "The images are too large together",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Multi<OutboundSseEvent> ask(AskBody body, @Context Sse sse) {
    if (body == null) {
      throw ApiProblem.badRequest("a JSON body is required");
    }
    AskRequest.Builder request = AskRequest.newBuilder();
    if (body.parts() == null) {
      request
          .setImage(images.source(caller.tenant(), body))
          .setQuestion(body.question() == null ? "" : body.question());
    } else {
      if (body.mediaId() != null || body.uri() != null || body.question() != null) {
        throw ApiProblem.badRequest(
            "give either 'mediaId' or 'uri' with 'question', or 'parts', not both");
      }
      if (body.parts().isEmpty()) { // in the contract, no parts is the single-image form
        throw RequestRefused.invalid("a question needs at least one image part").at("parts");
      }
      for (int i = 0; i < body.parts().size(); i++) {
        request.addParts(part(body.parts().get(i), i));
      }
    }
    if (body.maxNewTokens() != null) {
      if (body.maxNewTokens()
          == 0) { // 0 is "unset" in the request; given explicitly it is refused (the rest:
        // RequestRules)
        throw ApiProblem.badRequest(
            "'maxNewTokens' must be in 1.." + RequestRules.MAX_NEW_TOKENS + ", got 0");
      }
      request.setMaxNewTokens(body.maxNewTokens());
    }
    if (body.model() != null) {
      request.setModel(body.model());
    }
    return generator
        .ask(caller.tenant(), questions.check(caller.tenant(), request.build()))
        .map(
            event ->
                event.hasFinal()
                    ? sse(sse, "final", Generated.of(event.getFinal()))
                    : sse(sse, "token", new Token(event.getToken())))
        .onFailure()
        .recoverWithItem(error -> sse(sse, "error", problemOf(error)));
  }

  record Token(String token) {}

  /** One JSON part as the contract's part; the rules on it are {@link AskQuestions}'. */
  private static AskPart part(AskPartBody part, int index) {
    String field = "parts[" + index + "]";
    if (part == null) {
      throw ApiProblem.badRequest("'" + field + "' must not be null");
    }
    int given =
        (part.text() == null ? 0 : 1)
            + (part.mediaId() == null ? 0 : 1)
            + (part.uri() == null ? 0 : 1);
    if (given != 1) {
      throw ApiProblem.badRequest(
          "'" + field + "' needs exactly one of 'text', 'mediaId' and 'uri'");
    }
    if (part.text() != null) {
      return AskPart.newBuilder().setText(part.text()).build();
    }
    if (part.mediaId() != null) {
      return AskPart.newBuilder().setMediaId(part.mediaId()).build();
    }
    return AskPart.newBuilder().setImage(ImageSource.newBuilder().setUri(part.uri())).build();
  }

  private OutboundSseEvent sse(Sse sse, String name, Object data) {
    return SseEvents.event(sse, json, name, data);
  }

  private static Problem problemOf(Throwable error) {
    return SseEvents.problemOf(error, "Answer failed", "generator", "/v1/ask");
  }

  /** A JSON list as given (null: empty); the rules on it are {@link RequestRules#texts}'. */
  private static List<String> strings(List<String> values) {
    if (values == null) {
      return List.of();
    }
    if (values.contains(null)) {
      throw ApiProblem.badRequest("a list of texts must not hold null");
    }
    return values;
  }

  private static CaptionTask task(String value) {
    if (value == null || value.isBlank()) {
      return CaptionTask.CAPTION_TASK_UNSPECIFIED;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "caption" -> CaptionTask.CAPTION_TASK_CAPTION;
      case "detailed" -> CaptionTask.CAPTION_TASK_DETAILED_CAPTION;
      case "more-detailed" -> CaptionTask.CAPTION_TASK_MORE_DETAILED_CAPTION;
      default -> throw ApiProblem.badRequest("'task' must be caption, detailed or more-detailed");
    };
  }

  private static LengthPreset length(String value) {
    if (value == null || value.isBlank()) {
      return LengthPreset.LENGTH_PRESET_UNSPECIFIED;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "short" -> LengthPreset.LENGTH_PRESET_SHORT;
      case "medium" -> LengthPreset.LENGTH_PRESET_MEDIUM;
      case "long" -> LengthPreset.LENGTH_PRESET_LONG;
      default -> throw ApiProblem.badRequest("'length' must be short, medium or long");
    };
  }
}
