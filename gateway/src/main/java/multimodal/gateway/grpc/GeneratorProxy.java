package multimodal.gateway.grpc;

import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import multimodal.gateway.AskQuestions;
import multimodal.gateway.GeneratorRequests;
import multimodal.gateway.TextToImage;
import multimodal.v1.AnalyzeRequest;
import multimodal.v1.AnalyzeResponse;
import multimodal.v1.AskRequest;
import multimodal.v1.AskResponse;
import multimodal.v1.CaptionRequest;
import multimodal.v1.CaptionResponse;
import multimodal.v1.GenerateRequest;
import multimodal.v1.GenerateResponse;
import multimodal.v1.GeneratorService;
import multimodal.v1.OcrRequest;
import multimodal.v1.OcrResponse;

/**
 * GeneratorService for backend systems: each request is checked by the rules REST applies ({@link
 * GeneratorRequests}: image bytes and URLs, the internal blob route refused, bounds) and forwarded
 * to generator-service with the API key's tenant in the call token ({@link GeneratorClient}); no
 * metadata of the caller's is forwarded. An interleaved Ask's media ids are resolved within the
 * caller's tenant ({@link AskQuestions}).
 */
@GrpcService
@RegisterInterceptor(ApiKeyInterceptor.class)
public class GeneratorProxy implements GeneratorService {
  private final GeneratorClient generator;
  private final GeneratorRequests requests;
  private final AskQuestions questions;
  private final TextToImage textToImage;

  GeneratorProxy(
      GeneratorClient generator,
      GeneratorRequests requests,
      AskQuestions questions,
      TextToImage textToImage) {
    this.generator = generator;
    this.textToImage = textToImage;
    this.requests = requests;
    this.questions = questions;
  }

  @Override
  public Uni<CaptionResponse> caption(CaptionRequest request) {
    String tenant = ApiKeyInterceptor.caller().tenant();
    return GrpcErrors.checked(() -> generator.caption(tenant, requests.caption(request)));
  }

  @Override
  public Multi<AskResponse> ask(AskRequest request) {
    String tenant = ApiKeyInterceptor.caller().tenant();
    return Multi.createFrom()
        .deferred(() -> generator.ask(tenant, questions.check(tenant, request)))
        .onFailure()
        .transform(GrpcErrors::toStatus);
  }

  /** The generator's stream with the candidates re-ranked by CLIP ({@link TextToImage}). */
  @Override
  public Multi<GenerateResponse> generate(GenerateRequest request) {
    String tenant = ApiKeyInterceptor.caller().tenant();
    return Multi.createFrom()
        .deferred(() -> textToImage.generate(tenant, textToImage.admit(tenant, request)))
        .onFailure()
        .transform(GrpcErrors::toStatus);
  }

  @Override
  public Uni<OcrResponse> ocr(OcrRequest request) {
    String tenant = ApiKeyInterceptor.caller().tenant();
    return GrpcErrors.checked(() -> generator.ocr(tenant, requests.ocr(request)));
  }

  @Override
  public Uni<AnalyzeResponse> analyze(AnalyzeRequest request) {
    String tenant = ApiKeyInterceptor.caller().tenant();
    return GrpcErrors.checked(() -> generator.analyze(tenant, requests.analyze(request)));
  }
}
