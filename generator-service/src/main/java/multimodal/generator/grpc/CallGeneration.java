package multimodal.generator.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.GenerationStoppedException;

/**
 * The generation behind one gRPC call: a {@link GenerationControl} that the call's {@link Context}
 * stops (cancelled call: CANCELLED; the caller's deadline: DEADLINE_EXCEEDED; see {@link
 * CallContextInterceptor}) and whose deadline is the caller's or {@code
 * generator.generation-timeout}, whichever is sooner; and its metrics: {@code
 * generator.decode.steps{rpc}} (counted as the steps run) and {@code
 * generator.generations{rpc,outcome}} with outcome {@code completed}, {@code cancelled}, {@code
 * deadline} or {@code failed}.
 *
 * <p>Create it on the thread that serves the call (where {@link Context#current()} is the call's).
 */
final class CallGeneration implements AutoCloseable {
  private final String rpc;
  private final MeterRegistry registry;
  private final GenerationControl control;
  private final Context context;
  private final Context.CancellationListener onCallEnd;

  CallGeneration(String rpc, Duration maxGeneration, MeterRegistry registry) {
    this.rpc = rpc;
    this.registry = registry;
    this.context = Context.current();
    this.control =
        GenerationControl.withTimeout(timeout(context.getDeadline(), maxGeneration))
            .onStep(registry.counter("generator.decode.steps", "rpc", rpc)::increment);
    this.onCallEnd =
        ended -> {
          if (ended.cancellationCause() instanceof TimeoutException) {
            control.expire();
          } else {
            control.cancel();
          }
        };
    context.addListener(onCallEnd, Runnable::run);
  }

  GenerationControl control() {
    return control;
  }

  /** Runs the call's work and counts its outcome. */
  <T> T run(Supplier<T> work) {
    String outcome = "failed";
    try {
      T result = work.get();
      outcome = "completed";
      return result;
    } catch (GenerationStoppedException e) {
      outcome = e.reason() == GenerationStoppedException.Reason.DEADLINE ? "deadline" : "cancelled";
      throw e;
    } finally {
      registry.counter("generator.generations", "rpc", rpc, "outcome", outcome).increment();
    }
  }

  @Override
  public void close() {
    context.removeListener(onCallEnd);
    control.close();
  }

  /** The caller's deadline if it is sooner than the configured longest generation. */
  private static Duration timeout(Deadline deadline, Duration maxGeneration) {
    if (deadline == null) {
      return maxGeneration;
    }
    Duration remaining =
        Duration.ofNanos(Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)));
    return remaining.compareTo(maxGeneration) < 0 ? remaining : maxGeneration;
  }
}
