package multimodal.gateway.grpc;

import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.mutiny.Uni;
import multimodal.gateway.SafeSearchPolicy;
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
 * retrieval-service with the API key's tenant in place of whatever tenant the request named, and
 * Search is a safe search by default (see {@link #search}).
 */
@GrpcService
@RegisterInterceptor(ApiKeyInterceptor.class)
@RegisterInterceptor(SafeSearchHeader.class)
public class RetrievalProxy implements RetrievalService {
  private final RetrievalClient retrieval;
  private final SafeSearchPolicy safeSearch;

  RetrievalProxy(RetrievalClient retrieval, SafeSearchPolicy safeSearch) {
    this.retrieval = retrieval;
    this.safeSearch = safeSearch;
  }

  /**
   * Safe search is on unless the caller opts out with metadata {@code x-safe-search: off} (or the
   * tenant's default is off); {@code filter.safe = true} or {@code x-safe-search: on} turns it on.
   */
  @Override
  public Uni<SearchResponse> search(SearchRequest request) {
    String tenant = ApiKeyInterceptor.caller().tenant();
    Boolean choice = SafeSearchHeader.choice();
    if (choice == null && request.getFilter().getSafe()) {
      choice = true;
    }
    // A fan-out flag is for coordinators inside the platform, not for public callers.
    SearchRequest decided = safeSearch.apply(tenant, request.toBuilder().clearShardLocal().build(), choice);
    return retrieval.search(tenant, decided);
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
