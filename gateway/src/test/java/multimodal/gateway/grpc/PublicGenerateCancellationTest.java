package multimodal.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.rest.TestKeys;
import multimodal.v1.GenerateRequest;
import multimodal.v1.GenerateResponse;
import multimodal.v1.GeneratorServiceGrpc;
import org.junit.jupiter.api.Test;

/**
 * A caller of the public gRPC Generate that cancels its stream cancels the generator's call behind
 * it ({@link CancellableStreams}), as leaving the REST event stream does (GenerateRestTest): the
 * generator then stops between two denoising steps (its GenerationCancellationTest) instead of
 * going on to the end for nobody.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class PublicGenerateCancellationTest {
  @Test
  void cancellingThePublicStreamCancelsTheGeneratorCall() throws Exception {
    int before = FakeGeneratorService.GENERATE_CANCELLATIONS.get();
    ProgressThenCancel caller = new ProgressThenCancel();
    ManagedChannel channel = PublicGrpc.open();
    try {
      PublicGrpc.as(GeneratorServiceGrpc.newStub(channel), TestKeys.DEFAULT)
          .generate(
              GenerateRequest.newBuilder().setPrompt(FakeGeneratorService.ENDLESS).build(), caller);
      GenerateResponse first = caller.firstEvent.get(20, TimeUnit.SECONDS);
      assertThat(first.hasProgress()).as("the stream's first event").isTrue();

      // The fake steps every 50 ms for as long as its call lives (the gateway's deadline is
      // 300 s): only a cancel forwarded by the gateway ends it within this wait.
      await("the generator's call cancelled")
          .atMost(Duration.ofSeconds(10))
          .until(() -> FakeGeneratorService.GENERATE_CANCELLATIONS.get() > before);
    } finally {
      PublicGrpc.close(channel);
    }
  }

  /** Cancels its call once the first event has arrived, as a client that gives up would. */
  private static final class ProgressThenCancel
      implements ClientResponseObserver<GenerateRequest, GenerateResponse> {
    final CompletableFuture<GenerateResponse> firstEvent = new CompletableFuture<>();
    private ClientCallStreamObserver<GenerateRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<GenerateRequest> requestStream) {
      call = requestStream;
    }

    @Override
    public void onNext(GenerateResponse event) {
      if (firstEvent.complete(event)) {
        call.cancel("the caller gave up", null);
      }
    }

    @Override
    public void onError(Throwable error) {
      firstEvent.completeExceptionally(error); // a no-op after our own cancel
    }

    @Override
    public void onCompleted() {
      firstEvent.completeExceptionally(new AssertionError("the endless stream completed"));
    }
  }
}
