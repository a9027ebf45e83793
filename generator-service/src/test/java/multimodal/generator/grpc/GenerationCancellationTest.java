package multimodal.generator.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.awt.Color;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import multimodal.generator.DiffusionFixtureResource;
import multimodal.generator.EndlessFixtureResource;
import multimodal.generator.InMemoryChannelsResource;
import multimodal.generator.TestImages;
import multimodal.v1.AskRequest;
import multimodal.v1.AskResponse;
import multimodal.v1.CaptionRequest;
import multimodal.v1.CaptionResponse;
import multimodal.v1.GenerateRequest;
import multimodal.v1.GenerateResponse;
import multimodal.v1.GenerationOptions;
import multimodal.v1.GeneratorServiceGrpc;
import multimodal.v1.ImageSource;
import multimodal.v1.Limits;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cancellation and deadlines over real gRPC (the service on the HTTP port, through Vert.x's bridge
 * as in production) against models that never stop generating: an uncancelled call would run all
 * {@value #MAX_NEW_TOKENS} steps (tens of seconds here), and against the diffusion fixture with the
 * most denoising steps a Generate may ask for. Generation is observed through the service's
 * metrics, {@code generator.decode.steps} and {@code generator.generations{outcome}}, so these
 * tests fail when a client cancel or deadline no longer reaches the engine.
 */
@QuarkusTest
@QuarkusTestResource(value = EndlessFixtureResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = InMemoryChannelsResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = DiffusionFixtureResource.class, restrictToAnnotatedClass = true)
class GenerationCancellationTest {
  private static final int MAX_NEW_TOKENS = 512;

  /** Steps allowed after the stop was asked for: generation stopped "well before" the end. */
  private static final int MOST_STEPS = MAX_NEW_TOKENS / 4;

  /**
   * How long a stopped generation may take to be counted: generous, because on a loaded 2-core
   * machine the first tokens and the cancel's way back take far longer than here when idle (an
   * uncancelled generation never counts as cancelled, so waiting longer cannot hide a failure).
   */
  private static final Duration STOP_SEEN_WITHIN = Duration.ofSeconds(180);

  /** Denoising steps of the Generate that is cancelled (the most a request may ask for). */
  private static final int DENOISING_STEPS = Limits.GENERATE_MAX_STEPS;

  private static ManagedChannel channel;

  @Inject MeterRegistry registry;

  @BeforeAll
  static void connect() {
    int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port)
            .usePlaintext()
            .intercept(new GatewayCallTokens())
            .build();
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () -> given().port(managementPort()).get("/q/health/ready").then().statusCode(200));
    // Connected and warm before any deadline runs: a cold first call may not reach the server in
    // time.
    GeneratorServiceGrpc.newBlockingStub(channel)
        .caption(CaptionRequest.newBuilder().addImages(png(Color.RED)).build());
  }

  @AfterAll
  static void disconnect() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void cancellingAStreamingAskAfterTheFirstTokensStopsTheGeneration() {
    double steps = steps("ask");
    double cancelled = generations("ask", "cancelled");
    CancellingObserver<AskRequest, AskResponse> observer =
        new CancellingObserver<>(received -> received.size() == 2);
    GeneratorServiceGrpc.newStub(channel).ask(ask(), observer);

    await().atMost(STOP_SEEN_WITHIN).until(() -> generations("ask", "cancelled") > cancelled);
    assertThat(observer.received.stream().map(AskResponse::getToken))
        .hasSizeGreaterThanOrEqualTo(2)
        .allMatch(token -> token.strip().equals("a"));
    assertThat(Status.fromThrowable(observer.error.get()).getCode())
        .isEqualTo(Status.Code.CANCELLED);
    assertStepsStoppedAt(steps, "ask", 2, MOST_STEPS);
  }

  /**
   * The client cancels a Generate stream when it sees the second step's progress. The pipeline
   * checks the call between steps (DiffusionPipelineTest holds it to exactly one step in process);
   * over gRPC the cancel also has to travel, so the bound here is "long before the last step".
   */
  @Test
  void cancellingAGenerateStreamAfterTwoStepsStopsTheDenoising() {
    // The diffusion model loads in the background: a one-step generation waits for it.
    GenerateCalls.events(
        channel,
        GenerateRequest.newBuilder()
            .setPrompt("a red square")
            .setWidth(64)
            .setHeight(64)
            .setSteps(1)
            .build());
    double steps = steps("generate");
    double cancelled = generations("generate", "cancelled");
    CancellingObserver<GenerateRequest, GenerateResponse> observer =
        new CancellingObserver<>(
            received -> received.get(received.size() - 1).getProgress().getStep() == 2);
    GeneratorServiceGrpc.newStub(channel)
        .generate(
            GenerateRequest.newBuilder()
                .setPrompt("a red square")
                .setWidth(512)
                .setHeight(512)
                .setCandidates(4)
                .setSteps(DENOISING_STEPS)
                .setSeed(1)
                .build(),
            observer);

    await().atMost(STOP_SEEN_WITHIN).until(() -> generations("generate", "cancelled") > cancelled);
    assertThat(observer.received.stream().map(r -> r.getProgress().getStep())).startsWith(1, 2);
    assertThat(Status.fromThrowable(observer.error.get()).getCode())
        .isEqualTo(Status.Code.CANCELLED);
    assertStepsStoppedAt(steps, "generate", 2, DENOISING_STEPS / 4);
  }

  @Test
  void cancellingAUnaryCaptionThroughItsContextStopsTheGeneration() throws Exception {
    double steps = steps("caption");
    double cancelled = generations("caption", "cancelled");
    Context.CancellableContext context = Context.current().withCancellation();
    ListenableFuture<CaptionResponse> response =
        context.call(() -> GeneratorServiceGrpc.newFutureStub(channel).caption(caption()));

    await().atMost(STOP_SEEN_WITHIN).until(() -> steps("caption") - steps >= 3);
    context.cancel(null);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> generations("caption", "cancelled") > cancelled);
    assertThat(codeOf(response)).isEqualTo(Status.Code.CANCELLED);
    assertStepsStoppedAt(steps, "caption", 3, MOST_STEPS);
  }

  @Test
  void theCallersDeadlineStopsACaptionWithDeadlineExceeded() {
    double steps = steps("caption");
    double expired = generations("caption", "deadline");
    ListenableFuture<CaptionResponse> response =
        GeneratorServiceGrpc.newFutureStub(channel)
            .withDeadlineAfter(1200, TimeUnit.MILLISECONDS)
            .caption(caption());

    assertThat(codeOf(response)).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    // The server saw the caller's deadline (grpc-timeout) and stopped at it: without it, the
    // client's reset would count as a plain cancel, or the server's own timeout (3 s) would end it.
    await()
        .atMost(Duration.ofMillis(1200))
        .until(() -> generations("caption", "deadline") > expired);
    // How many steps fit in 1.2 s depends on the machine (139 on an idle 2-core one); the end was
    // not reached, and the counter stopped.
    assertStepsStoppedAt(steps, "caption", 1, MAX_NEW_TOKENS - 1);
  }

  @Test
  void theServersGenerationTimeoutEndsAnAskStreamWithDeadlineExceeded() {
    double steps = steps("ask");
    double expired = generations("ask", "deadline");
    List<String> tokens = new CopyOnWriteArrayList<>();
    long start = System.nanoTime();

    Throwable error =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                GeneratorServiceGrpc.newBlockingStub(channel)
                    .ask(ask())
                    .forEachRemaining(response -> tokens.add(response.getToken())));

    // No deadline from the client: generator.generation-timeout ends it, and the server says so.
    assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.parse("PT" + EndlessFixtureResource.GENERATION_TIMEOUT));
    assertThat(tokens).isNotEmpty();
    assertThat(generations("ask", "deadline")).isEqualTo(expired + 1);
    // How many steps fit in the timeout depends on the machine; the end was not reached.
    assertStepsStoppedAt(steps, "ask", 1, MAX_NEW_TOKENS - 1);
  }

  /** The step counter stops moving, having run {@code least} to {@code most} steps. */
  private void assertStepsStoppedAt(double before, String rpc, int least, int most) {
    AtomicReference<Double> last = new AtomicReference<>(steps(rpc));
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .during(Duration.ofMillis(600))
        .until(() -> last.getAndSet(steps(rpc)).equals(last.get()));
    double run = steps(rpc) - before;
    assertThat(run)
        .as("decoding steps of the stopped generation")
        .isBetween((double) least, (double) most);
  }

  private static Status.Code codeOf(ListenableFuture<?> response) {
    try {
      response.get(60, TimeUnit.SECONDS);
      throw new AssertionError("the call completed: the generation was not stopped");
    } catch (ExecutionException e) {
      return Status.fromThrowable(e.getCause()).getCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private double steps(String rpc) {
    Counter counter = registry.find("generator.decode.steps").tag("rpc", rpc).counter();
    return counter == null ? 0 : counter.count();
  }

  private double generations(String rpc, String outcome) {
    Counter counter =
        registry.find("generator.generations").tag("rpc", rpc).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private static AskRequest ask() {
    return AskRequest.newBuilder()
        .setModel("endless-vqa")
        .setImage(png(Color.RED))
        .setQuestion("what colour is it?")
        .setMaxNewTokens(MAX_NEW_TOKENS)
        .build();
  }

  private static CaptionRequest caption() {
    return CaptionRequest.newBuilder()
        .setModel("endless")
        .addImages(png(Color.BLUE))
        .setOptions(GenerationOptions.newBuilder().setMaxNewTokens(MAX_NEW_TOKENS))
        .build();
  }

  private static ImageSource png(Color colour) {
    return ImageSource.newBuilder()
        .setData(ByteString.copyFrom(TestImages.png(TestImages.shape(colour, "square", 224))))
        .build();
  }

  /** Health and metrics answer on the management interface's port, not on the service port. */
  private static int managementPort() {
    return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
  }
}
