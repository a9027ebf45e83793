package multimodal.retrieval.grpc;

import io.grpc.stub.StreamObserver;
import multimodal.retrieval.MediaSearch;
import multimodal.retrieval.ZeroShot;
import multimodal.retrieval.config.RetrievalConfig;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;

/** Serves {@link RetrievalGrpcService}'s Search on a plain grpc-java server (tests, benchmark). */
public final class RetrievalGrpcServiceAccess {
  private RetrievalGrpcServiceAccess() {}

  public static RetrievalServiceGrpc.RetrievalServiceImplBase plainGrpc(MediaSearch search, ZeroShot zeroShot, RetrievalConfig config) {
    return plainGrpc(new RetrievalGrpcService(search, new ShardFanOut(search, config), zeroShot));
  }

  static RetrievalServiceGrpc.RetrievalServiceImplBase plainGrpc(RetrievalGrpcService service) {
    return new RetrievalServiceGrpc.RetrievalServiceImplBase() {
      @Override
      public void search(SearchRequest request, StreamObserver<SearchResponse> observer) {
        service
            .search(request)
            .subscribe()
            .with(
                r -> {
                  observer.onNext(r);
                  observer.onCompleted();
                },
                observer::onError);
      }
    };
  }
}
