package multimodal.gateway.rest;

import com.google.protobuf.ByteString;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import multimodal.gateway.GeneratorRequests;
import multimodal.gateway.ImageInputs;
import multimodal.gateway.RequestRules;
import multimodal.gateway.Vision;
import multimodal.gateway.auth.CurrentCaller;
import multimodal.gateway.grpc.GeneratorClient;
import multimodal.v1.AnalyzeRequest;
import multimodal.v1.ImageAnalysis;
import multimodal.v1.ImageSource;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

/** Object tags and safety scores of one image on demand: {@code GeneratorService.Analyze}. */
@Path("/v1/analyze")
@Tag(name = "understand")
@SecurityRequirement(name = "apiKey")
public class AnalyzeResource {
  private final GeneratorClient generator;
  private final ImageInputs images;
  private final CurrentCaller caller;
  private final RequestRules rules;
  private final GeneratorRequests requests;

  AnalyzeResource(
      GeneratorClient generator,
      ImageInputs images,
      CurrentCaller caller,
      RequestRules rules,
      GeneratorRequests requests) {
    this.generator = generator;
    this.images = images;
    this.caller = caller;
    this.rules = rules;
    this.requests = requests;
  }

  public record AnalyzeBody(
      String mediaId,
      String uri,
      @Schema(description = "Leave out objects below this score (0..1; default the service's)")
          Float minScore)
      implements ImageInputs.ImageInput {}

  /**
   * @param objects what the detector found, best first; boxes are fractions of imageWidth x
   *     imageHeight
   * @param safety safety class scores and their unsafe sum, or null when the image was not scored
   */
  public record Analysis(
      List<Vision.DetectedObject> objects,
      Vision.Model detector,
      Vision.Safety safety,
      Vision.Model safetyModel,
      int imageWidth,
      int imageHeight,
      Long totalMicros) {
    static Analysis of(ImageAnalysis analysis) {
      return new Analysis(
          Vision.objects(analysis.getObjectsList()),
          Vision.Model.of(analysis.hasDetector() ? analysis.getDetector() : null),
          Vision.safety(analysis.getSafetyList(), analysis.getUnsafeScore()),
          Vision.Model.of(analysis.hasSafetyModel() ? analysis.getSafetyModel() : null),
          analysis.getImageWidth(),
          analysis.getImageHeight(),
          analysis.hasTimings() ? analysis.getTimings().getTotalMicros() : null);
    }
  }

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Produces(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(
      summary = "Detect objects and score safety of an uploaded image",
      description = "Multipart field 'file'; GeneratorService.Analyze. Nothing is stored.")
  @APIResponse(
      responseCode = "200",
      description = "Objects and safety scores",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Analysis.class)))
  @APIResponse(
      responseCode = "400",
      description = "No file, bad minScore, or an image the generator cannot decode",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "413",
      description = "Image too large",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "415",
      description = "Not an image",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Uni<Analysis> analyzeUpload(
      ImageUploadForm form,
      @RestQuery @Parameter(description = "Leave out objects below this score (0..1)")
          String minScore) {
    byte[] bytes = UploadedImages.read(form == null ? null : form.file, rules);
    String name = form.file.fileName() == null ? "upload" : form.file.fileName();
    return analyze(
        ImageSource.newBuilder().setData(ByteString.copyFrom(bytes)).setClientId(name).build(),
        parseMinScore(minScore));
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(
      summary = "Detect objects and score safety of an item or URL",
      description = "{mediaId|uri, minScore?}; GeneratorService.Analyze.")
  @APIResponse(
      responseCode = "200",
      description = "Objects and safety scores",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Analysis.class)))
  @APIResponse(
      responseCode = "404",
      description = "No such item in the caller's tenant",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Uni<Analysis> analyzeItem(AnalyzeBody body) {
    if (body == null) {
      throw ApiProblem.badRequest("a JSON body is required");
    }
    return analyze(images.source(caller.tenant(), body), body.minScore());
  }

  private static Float parseMinScore(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Float.parseFloat(value.strip());
    } catch (NumberFormatException e) {
      throw ApiProblem.badRequest(
          "query parameter 'minScore' must be a number in 0..1, got '" + value + "'");
    }
  }

  private Uni<Analysis> analyze(ImageSource image, Float minScore) {
    AnalyzeRequest.Builder request = AnalyzeRequest.newBuilder().addImages(image);
    if (minScore != null) {
      request.setMinScore(minScore);
    }
    return generator
        .analyze(caller.tenant(), requests.analyze(request.build()))
        .map(
            response -> {
              if (response.getResultsCount() == 0) {
                throw new ApiProblem(
                    502, "upstream-empty", "Bad Gateway", "the generator returned no analysis");
              }
              return Analysis.of(response.getResults(0));
            });
  }
}
