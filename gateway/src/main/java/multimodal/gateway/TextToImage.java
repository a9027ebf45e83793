package multimodal.gateway;

import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import multimodal.gateway.auth.RateLimiter;
import multimodal.gateway.config.GatewayConfig;
import multimodal.gateway.grpc.GeneratorClient;
import multimodal.gateway.grpc.RetrievalClient;
import multimodal.v1.GenerateRequest;
import multimodal.v1.GenerateResponse;
import multimodal.v1.GenerateResult;
import multimodal.v1.InvalidFieldException;
import multimodal.v1.rpc.GenerateBounds;
import multimodal.v1.rpc.RpcErrors;

/**
 * Text to image for REST and gRPC alike: the request's bounds and the tenant's Generate quota, the
 * generator's stream passed on (progress events, then the candidates), and the candidates re-ranked
 * by CLIP through retrieval-service's Rerank before the result goes out ({@link CandidateRanking}).
 * The gateway orchestrates because it already calls both services for the caller's tenant, and the
 * image-vs-text score lives in retrieval-service (see the README).
 */
@ApplicationScoped
public class TextToImage {
  private final GeneratorClient generator;
  private final RetrievalClient retrieval;
  private final RateLimiter quota = new RateLimiter(System::nanoTime);
  private final double perSecond;
  private final int burst;

  TextToImage(GeneratorClient generator, RetrievalClient retrieval, GatewayConfig config) {
    this.generator = generator;
    this.retrieval = retrieval;
    this.perSecond = config.generator().generatePerMinute() / 60;
    this.burst = config.generator().generateBurst();
  }

  /**
   * Refuses a request out of bounds, then takes one Generate from the tenant's quota; call before a
   * stream starts, so both are plain errors.
   *
   * @throws RequestRefused naming the field
   * @throws StatusRuntimeException RESOURCE_EXHAUSTED with the seconds to wait
   */
  public GenerateRequest admit(String tenant, GenerateRequest request) {
    try {
      GenerateBounds.check(request);
    } catch (InvalidFieldException e) {
      throw RequestRefused.invalid("'" + e.field() + "' " + e.description()).at(e.field());
    }
    long wait = quota.acquire(tenant, perSecond, burst);
    if (wait > 0) {
      throw RpcErrors.status(
          Code.RESOURCE_EXHAUSTED,
          "tenant "
              + tenant
              + " has used its Generate quota (gateway.generator.generate-per-minute); retry in "
              + wait
              + " s",
          "gateway.multimodal",
          "GENERATE_QUOTA",
          RpcErrors.retryAfter(wait));
    }
    return request;
  }

  /** The generator's events, the result re-ranked; {@link #admit} first. */
  public Multi<GenerateResponse> generate(String tenant, GenerateRequest request) {
    return generator
        .generate(tenant, request)
        .onItem()
        .transformToUniAndConcatenate(
            event ->
                event.hasResult()
                    ? rerank(tenant, request, event.getResult())
                        .map(result -> GenerateResponse.newBuilder().setResult(result).build())
                    : Uni.createFrom().item(event));
  }

  private Uni<GenerateResult> rerank(
      String tenant, GenerateRequest request, GenerateResult result) {
    if (result.getImagesCount() == 0) { // all withheld: nothing to score
      return Uni.createFrom().item(result);
    }
    return retrieval
        .rerank(tenant, CandidateRanking.request(request.getPrompt(), result))
        .map(scores -> CandidateRanking.apply(result, scores, request.getTopK()));
  }
}
