package multimodal.gateway.grpc;

import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import multimodal.v1.AnalyzeRequest;
import multimodal.v1.AnalyzeResponse;
import multimodal.v1.AskRequest;
import multimodal.v1.AskResponse;
import multimodal.v1.CaptionRequest;
import multimodal.v1.CaptionResponse;
import multimodal.v1.GeneratorService;
import multimodal.v1.OcrRequest;
import multimodal.v1.OcrResponse;

/** GeneratorService for backend systems, forwarded to generator-service with the API key's tenant (x-tenant). */
@GrpcService
@RegisterInterceptor(ApiKeyInterceptor.class)
public class GeneratorProxy implements GeneratorService {
  private final GeneratorClient generator;

  GeneratorProxy(GeneratorClient generator) {
    this.generator = generator;
  }

  @Override
  public Uni<CaptionResponse> caption(CaptionRequest request) {
    return generator.caption(ApiKeyInterceptor.caller().tenant(), request);
  }

  @Override
  public Multi<AskResponse> ask(AskRequest request) {
    return generator.ask(ApiKeyInterceptor.caller().tenant(), request);
  }

  @Override
  public Uni<OcrResponse> ocr(OcrRequest request) {
    return generator.ocr(ApiKeyInterceptor.caller().tenant(), request);
  }

  @Override
  public Uni<AnalyzeResponse> analyze(AnalyzeRequest request) {
    return generator.analyze(ApiKeyInterceptor.caller().tenant(), request);
  }
}
