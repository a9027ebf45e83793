package multimodal.retrieval.grpc;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.smallrye.mutiny.Uni;
import multimodal.retrieval.MediaSearch;
import multimodal.retrieval.ZeroShot;
import multimodal.retrieval.config.RetrievalConfig;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;

/**
 * Serves {@link RetrievalGrpcService}'s Search and GetMedia on a plain grpc-java server (tests,
 * benchmark), without Mutiny; the other RPCs answer UNIMPLEMENTED.
 */
public final class RetrievalGrpcServiceAccess {
  static {
    // Mutiny's context propagation sets up SmallRye's ContextManagerProvider lazily on the first
    // subscription; outside Quarkus two first subscriptions on two gRPC threads (two shards
    // answering a fan-out) can race on it ("ContextManagerProvider already set"). Set it up once.
    Uni.createFrom().item(0).subscribe().with(ignored -> {});
  }

  private RetrievalGrpcServiceAccess() {}

  public static ServerServiceDefinition plainGrpc(MediaSearch search, ZeroShot zeroShot, RetrievalConfig config) {
    return plainGrpc(new RetrievalGrpcService(search, new ShardFanOut(search, config), zeroShot));
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
            service.getMedia(request).subscribe().with(
                response -> {
                  observer.onNext(response);
                  observer.onCompleted();
                },
                observer::onError);
          }
        });
  }
}
