package multimodal.retrieval.grpc;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.smallrye.mutiny.Uni;
import multimodal.internalauth.InternalServices;
import multimodal.retrieval.QueryEncoder;
import multimodal.retrieval.config.RetrievalConfig;
import multimodal.retrieval.search.MediaSearch;
import multimodal.retrieval.search.ZeroShot;
import multimodal.v1.ClassifyRequest;
import multimodal.v1.ClassifyResponse;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.RankTextsRequest;
import multimodal.v1.RankTextsResponse;
import multimodal.v1.RerankRequest;
import multimodal.v1.RerankResponse;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;

/**
 * Builds {@link RetrievalGrpcService} as CDI wires it and serves it on a plain grpc-java server
 * (tests, benchmark), without Quarkus.
 */
public final class RetrievalGrpcServiceAccess {
  static {
    // Mutiny's context propagation sets up SmallRye's ContextManagerProvider lazily on the first
    // subscription; outside Quarkus two first subscriptions on two gRPC threads (two shards
    // answering a fan-out) can race on it ("ContextManagerProvider already set"). Set it up once.
    Uni.createFrom().item(0).subscribe().with(ignored -> {});
  }

  private RetrievalGrpcServiceAccess() {}

  public static ServerServiceDefinition plainGrpc(
      MediaSearch search, QueryEncoder encoder, RetrievalConfig config) {
    return plainGrpc(
        wired(
            search,
            encoder,
            new ShardPeers(config, TestCallTokens.as(InternalServices.RETRIEVAL)),
            config));
  }

  /** The adapter over one index; it fans out to {@code peers} when they are configured. */
  static RetrievalGrpcService wired(
      MediaSearch search, QueryEncoder encoder, ShardPeers peers, RetrievalConfig config) {
    return new RetrievalGrpcService(
        search,
        new ShardFanOut(search, peers, config),
        new ZeroShot(encoder, search, new ShardMediaLookup(peers, search), config));
  }

  static ServerServiceDefinition plainGrpc(RetrievalGrpcService service) {
    return RetrievalServiceGrpc.bindService(
        new RetrievalServiceGrpc.AsyncService() {
          @Override
          public void search(SearchRequest request, StreamObserver<SearchResponse> observer) {
            try {
              observer.onNext(service.searchResponse(request));
              observer.onCompleted();
            } catch (RuntimeException e) {
              observer.onError(GrpcErrors.toStatus(e));
            }
          }

          @Override
          public void getMedia(GetMediaRequest request, StreamObserver<GetMediaResponse> observer) {
            reply(service.getMedia(request), observer);
          }

          @Override
          public void rankTexts(
              RankTextsRequest request, StreamObserver<RankTextsResponse> observer) {
            reply(service.rankTexts(request), observer);
          }

          @Override
          public void classify(ClassifyRequest request, StreamObserver<ClassifyResponse> observer) {
            reply(service.classify(request), observer);
          }

          @Override
          public void rerank(RerankRequest request, StreamObserver<RerankResponse> observer) {
            reply(service.rerank(request), observer);
          }
        });
  }

  private static <T> void reply(Uni<T> answer, StreamObserver<T> observer) {
    answer
        .subscribe()
        .with(
            response -> {
              observer.onNext(response);
              observer.onCompleted();
            },
            observer::onError);
  }
}
