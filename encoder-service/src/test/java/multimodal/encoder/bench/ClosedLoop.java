package multimodal.encoder.bench;

import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import multimodal.v1.EncodeImagesRequest;
import multimodal.v1.EncodeImagesResponse;
import multimodal.v1.EncoderServiceGrpc;

/**
 * {@code clients} callers that each keep one {@code EncodeImages} call in flight, sending the next
 * as soon as the last is answered (round robin over the requests, each caller starting at its own
 * index). Asynchronous, on the channel's network thread: the same closed loop as as many blocking
 * threads, without a thread to wake per call on cores the service shares.
 */
final class ClosedLoop {
  private final EncoderServiceGrpc.EncoderServiceStub stub;
  private final List<EncodeImagesRequest> requests;
  private final int clients;
  private final AtomicLong done = new AtomicLong();
  private final LatencyLog latencies = new LatencyLog();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CountDownLatch stopped;
  private volatile boolean stopping;

  ClosedLoop(
      EncoderServiceGrpc.EncoderServiceStub stub, List<EncodeImagesRequest> requests, int clients) {
    this.stub = stub;
    this.requests = requests;
    this.clients = clients;
    this.stopped = new CountDownLatch(clients);
  }

  void start() {
    for (int c = 0; c < clients; c++) {
      new Caller(c).send();
    }
  }

  /** Calls answered so far; throws when a call failed (the figures would mean nothing). */
  long done() {
    Throwable failed = failure.get();
    if (failed != null) {
      throw new IllegalStateException("an EncodeImages call failed", failed);
    }
    return done.get();
  }

  LatencyLog latencies() {
    return latencies;
  }

  /** Lets each caller's call in flight finish, then sends no more. */
  void stop() throws InterruptedException {
    stopping = true;
    if (!stopped.await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException("calls still in flight 5 minutes after stopping");
    }
  }

  private final class Caller implements StreamObserver<EncodeImagesResponse> {
    private int next;
    private long sentAt;

    Caller(int first) {
      this.next = first;
    }

    void send() {
      sentAt = System.nanoTime();
      stub.withDeadlineAfter(5, TimeUnit.MINUTES)
          .encodeImages(requests.get(next++ % requests.size()), this);
    }

    @Override
    public void onNext(EncodeImagesResponse response) {}

    @Override
    public void onError(Throwable t) {
      failure.compareAndSet(null, t);
      stopped.countDown();
    }

    @Override
    public void onCompleted() {
      latencies.add(System.nanoTime() - sentAt);
      done.incrementAndGet();
      if (stopping) {
        stopped.countDown();
      } else {
        send();
      }
    }
  }
}
