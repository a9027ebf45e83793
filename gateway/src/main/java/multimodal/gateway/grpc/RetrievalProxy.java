package multimodal.gateway.grpc;

import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.mutiny.Uni;
import multimodal.gateway.RetrievalRequests;
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
 * RetrievalService for backend systems, served by the gateway: every request is checked by the
 * rules REST applies ({@link RetrievalRequests}; the shards' fan-out fields are cleared) and
 * forwarded to retrieval-service with the API key's tenant in place of whatever tenant the request
 * named ({@link RetrievalClient}); Search is a safe search by default (see {@link #search}).
 */
@GrpcService
@RegisterInterceptor(ApiKeyInterceptor.class)
@RegisterInterceptor(SafeSearchHeader.class)
public class RetrievalProxy implements RetrievalService {
  private final RetrievalClient retrieval;
  private final SafeSearchPolicy safeSearch;
  private final RetrievalRequests requests;

  RetrievalProxy(
      RetrievalClient retrieval, SafeSearchPolicy safeSearch, RetrievalRequests requests) {
    this.retrieval = retrieval;
    this.safeSearch = safeSearch;
    this.requests = requests;
  }

  /**
   * Safe search is on unless the caller opts out with metadata {@code x-safe-search: off} (or the
   * tenant's default is off); {@code filter.safe = true} or {@code x-safe-search: on} turns it on.
   */
  @Override
  public Uni<SearchResponse> search(SearchRequest request) {
    String tenant = ApiKeyInterceptor.caller().tenant();
    Boolean header = SafeSearchHeader.choice();
    Boolean choice = header == null && request.getFilter().getSafe() ? Boolean.TRUE : header;
    return GrpcErrors.checked(
        () -> retrieval.search(tenant, safeSearch.apply(tenant, requests.search(request), choice)));
  }

  @Override
  public Uni<GetMediaResponse> getMedia(GetMediaRequest request) {
    String tenant = ApiKeyInterceptor.caller().tenant();
    return GrpcErrors.checked(() -> retrieval.getMedia(tenant, requests.getMedia(request)));
  }

  @Override
  public Uni<RankTextsResponse> rankTexts(RankTextsRequest request) {
    String tenant = ApiKeyInterceptor.caller().tenant();
    return GrpcErrors.checked(() -> retrieval.rankTexts(tenant, requests.rankTexts(request)));
  }

  @Override
  public Uni<ClassifyResponse> classify(ClassifyRequest request) {
    String tenant = ApiKeyInterceptor.caller().tenant();
    return GrpcErrors.checked(() -> retrieval.classify(tenant, requests.classify(request)));
  }

  @Override
  public Uni<RerankResponse> rerank(RerankRequest request) {
    String tenant = ApiKeyInterceptor.caller().tenant();
    return GrpcErrors.checked(() -> retrieval.rerank(tenant, requests.rerank(request)));
  }
}
