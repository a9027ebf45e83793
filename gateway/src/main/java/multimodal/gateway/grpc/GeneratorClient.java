package multimodal.gateway.grpc;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import multimodal.gateway.config.GatewayConfig;
import multimodal.internalauth.CallTokenClientInterceptor;
import multimodal.v1.AnalyzeRequest;
import multimodal.v1.AnalyzeResponse;
import multimodal.v1.AskRequest;
import multimodal.v1.AskResponse;
import multimodal.v1.CaptionRequest;
import multimodal.v1.CaptionResponse;
import multimodal.v1.GenerateRequest;
import multimodal.v1.GenerateResponse;
import multimodal.v1.GeneratorServiceGrpc;
import multimodal.v1.GeneratorServiceGrpc.GeneratorServiceStub;
import multimodal.v1.MutinyGeneratorServiceGrpc.MutinyGeneratorServiceStub;
import multimodal.v1.OcrRequest;
import multimodal.v1.OcrResponse;

/**
 * Calls generator-service's {@code GeneratorService}. Its requests have no tenant field, so the
 * caller's tenant travels in the call token's {@code tenant} claim ({@link InternalCallTokens}),
 * which the generator verifies; a header of the caller's own would prove nothing.
 */
@ApplicationScoped
public class GeneratorClient {
  private final MutinyGeneratorServiceStub stub;
  private final long timeoutMillis;
  private final long askTimeoutMillis;
  private final long generateTimeoutMillis;

  GeneratorClient(@GrpcClient("generator") MutinyGeneratorServiceStub stub, GatewayConfig config) {
    this.stub = stub;
    this.timeoutMillis = config.generator().timeout().toMillis();
    this.askTimeoutMillis = config.generator().askTimeout().toMillis();
    this.generateTimeoutMillis = config.generator().generateTimeout().toMillis();
  }

  private MutinyGeneratorServiceStub generator(String tenant, long deadlineMillis) {
    return CallTokenClientInterceptor.forTenant(stub, tenant)
        .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
  }

  public Uni<CaptionResponse> caption(String tenant, CaptionRequest request) {
    return generator(tenant, timeoutMillis).caption(request);
  }

  /** The streaming calls: cancelled when the caller leaves ({@link CancellableStreams}). */
  private GeneratorServiceStub streaming(String tenant, long deadlineMillis) {
    return CallTokenClientInterceptor.forTenant(
            GeneratorServiceGrpc.newStub(stub.getChannel()), tenant)
        .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
  }

  public Multi<AskResponse> ask(String tenant, AskRequest request) {
    return CancellableStreams.serverStream(streaming(tenant, askTimeoutMillis)::ask, request);
  }

  public Multi<GenerateResponse> generate(String tenant, GenerateRequest request) {
    return CancellableStreams.serverStream(
        streaming(tenant, generateTimeoutMillis)::generate, request);
  }

  public Uni<OcrResponse> ocr(String tenant, OcrRequest request) {
    return generator(tenant, timeoutMillis).ocr(request);
  }

  public Uni<AnalyzeResponse> analyze(String tenant, AnalyzeRequest request) {
    return generator(tenant, timeoutMillis).analyze(request);
  }
}
