package multimodal.gateway.grpc;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.smallrye.mutiny.Multi;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * A server-streaming gRPC call as a {@link Multi} that cancels the call when its subscriber does.
 * Quarkus' Mutiny client stubs do not: their observer never sees the call, so a REST or gRPC client
 * leaving a Generate or Ask stream left the generator denoising (or decoding) to the end for
 * nobody.
 */
final class CancellableStreams {
  private CancellableStreams() {}

  /**
   * @param call the async stub's method, e.g. {@code stub::generate}
   */
  static <Q, R> Multi<R> serverStream(BiConsumer<Q, StreamObserver<R>> call, Q request) {
    return Multi.createFrom()
        .emitter(
            emitter ->
                call.accept(
                    request,
                    new ClientResponseObserver<Q, R>() {
                      private final AtomicBoolean ended = new AtomicBoolean();

                      @Override
                      public void beforeStart(ClientCallStreamObserver<Q> stream) {
                        emitter.onTermination(
                            () -> {
                              if (ended.compareAndSet(false, true)) { // the subscriber left
                                stream.cancel("the caller cancelled the stream", null);
                              }
                            });
                      }

                      @Override
                      public void onNext(R value) {
                        emitter.emit(value);
                      }

                      @Override
                      public void onError(Throwable error) {
                        ended.set(true);
                        emitter.fail(error);
                      }

                      @Override
                      public void onCompleted() {
                        ended.set(true);
                        emitter.complete();
                      }
                    }));
  }
}
