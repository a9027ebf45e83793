package multimodal.generator.grpc;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A client of a server stream that cancels the call once {@code enough} accepts what it received
 * (in order); a stream that completes instead is recorded as an error, since the tests expect it
 * stopped.
 */
final class CancellingObserver<Q, R> implements ClientResponseObserver<Q, R> {
  final List<R> received = new CopyOnWriteArrayList<>();
  final AtomicReference<Throwable> error = new AtomicReference<>();
  private final Predicate<List<R>> enough;
  private ClientCallStreamObserver<Q> call;

  CancellingObserver(Predicate<List<R>> enough) {
    this.enough = enough;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<Q> call) {
    this.call = call;
  }

  @Override
  public void onNext(R response) {
    received.add(response);
    if (enough.test(received)) {
      call.cancel("the client has seen enough", null);
    }
  }

  @Override
  public void onError(Throwable t) {
    error.set(t);
  }

  @Override
  public void onCompleted() {
    error.set(new AssertionError("the stream completed: the generation was not stopped"));
  }
}
