package multimodal.gateway.grpc;

import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.mutiny.Uni;
import multimodal.v1.ClassifyRequest;
import multimodal.v1.ClassifyResponse;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.RankTextsRequest;
import multimodal.v1.RankTextsResponse;
import multimodal.v1.RerankRequest;
import multimodal.v1.RerankResponse;
import multimodal.v1.RetrievalService;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;

/**
 * RetrievalService for backend systems, served by the gateway: every call is forwarded to
 * retrieval-service with the API key's tenant in place of whatever tenant the request named.
 */
@GrpcService
@RegisterInterceptor(ApiKeyInterceptor.class)
public class RetrievalProxy implements RetrievalService {
  private final RetrievalClient retrieval;

  RetrievalProxy(RetrievalClient retrieval) {
    this.retrieval = retrieval;
  }

  @Override
  public Uni<SearchResponse> search(SearchRequest request) {
    // A fan-out flag is for coordinators inside the platform, not for public callers.
    return retrieval.search(ApiKeyInterceptor.caller().tenant(), request.toBuilder().clearShardLocal().build());
  }

  @Override
  public Uni<GetMediaResponse> getMedia(GetMediaRequest request) {
    return retrieval.getMedia(ApiKeyInterceptor.caller().tenant(), request);
  }

  @Override
  public Uni<RankTextsResponse> rankTexts(RankTextsRequest request) {
    return retrieval.rankTexts(ApiKeyInterceptor.caller().tenant(), request);
  }

  @Override
  public Uni<ClassifyResponse> classify(ClassifyRequest request) {
    return retrieval.classify(ApiKeyInterceptor.caller().tenant(), request);
  }

  @Override
  public Uni<RerankResponse> rerank(RerankRequest request) {
    return retrieval.rerank(ApiKeyInterceptor.caller().tenant(), request);
  }
}
