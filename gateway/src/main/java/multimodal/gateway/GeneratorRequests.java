package multimodal.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import multimodal.v1.AnalyzeRequest;
import multimodal.v1.AskRequest;
import multimodal.v1.CaptionRequest;
import multimodal.v1.OcrRequest;

/**
 * Checks a GeneratorService request before the gateway forwards it, whether REST built it or a gRPC
 * caller sent it: the images (bytes within the limits, URLs that are not the internal blob route),
 * the question, token and score bounds. Decoding options ({@code GenerationOptions}) are the
 * generator's to judge. The tenant is never taken from the caller: it travels as the API key's.
 */
@ApplicationScoped
public class GeneratorRequests {
  private final RequestRules rules;

  public GeneratorRequests(RequestRules rules) {
    this.rules = rules;
  }

  public CaptionRequest caption(CaptionRequest request) {
    rules.imageSources(request.getImagesList());
    rules.shortText("model", request.getModel());
    return request;
  }

  public AskRequest ask(AskRequest request) {
    if (!request.hasImage()) {
      throw RequestRefused.invalid("an image needs 'data' or 'uri'").at("image");
    }
    rules.imageSource(request.getImage(), "image");
    String question = rules.text("question", request.getQuestion());
    rules.maxNewTokens(request.getMaxNewTokens());
    rules.shortText("model", request.getModel());
    return request.toBuilder().setQuestion(question).build();
  }

  public OcrRequest ocr(OcrRequest request) {
    rules.imageSources(request.getImagesList());
    if (request.getLanguagesCount() == 0) {
      return request;
    }
    return request.toBuilder()
        .clearLanguages()
        .addAllLanguages(
            rules.texts("languages", request.getLanguagesList(), RequestRules.MAX_LANGUAGES))
        .build();
  }

  public AnalyzeRequest analyze(AnalyzeRequest request) {
    rules.imageSources(request.getImagesList());
    rules.fraction("minScore", request.getMinScore());
    return request;
  }
}
