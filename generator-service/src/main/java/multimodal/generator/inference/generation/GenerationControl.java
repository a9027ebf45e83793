package multimodal.generator.inference.generation;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.RunOptions;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stops one generation from outside: {@link #cancel()} (client went away) or the deadline.
 *
 * <p>Both are checked between decoding steps and also interrupt a step that is running, through
 * ONNX Runtime's {@link RunOptions#setTerminate(boolean)}, so a long step on a big model does not
 * run to its end for nobody.
 */
public final class GenerationControl implements AutoCloseable {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "generation-deadlines");
            thread.setDaemon(true);
            return thread;
          });

  private final RunOptions runOptions;
  private final long deadlineNanos;
  private final ScheduledFuture<?> timer;
  private volatile GenerationStoppedException.Reason stopped;
  private volatile Runnable stepListener = () -> {};
  private final AtomicLong steps = new AtomicLong();
  private boolean closed;

  private GenerationControl(Duration timeout) {
    try {
      this.runOptions = new RunOptions();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot create ONNX Runtime run options", e);
    }
    if (timeout == null) {
      this.deadlineNanos = Long.MAX_VALUE;
      this.timer = null;
    } else {
      this.deadlineNanos = System.nanoTime() + timeout.toNanos();
      this.timer =
          TIMER.schedule(
              () -> stop(GenerationStoppedException.Reason.DEADLINE),
              Math.max(0, timeout.toNanos()),
              TimeUnit.NANOSECONDS);
    }
  }

  /** No deadline; only {@link #cancel()} stops it. */
  public static GenerationControl unlimited() {
    return new GenerationControl(null);
  }

  public static GenerationControl withTimeout(Duration timeout) {
    return new GenerationControl(timeout);
  }

  /** Stops the generation at the next opportunity (also inside a running step). */
  public void cancel() {
    stop(GenerationStoppedException.Reason.CANCELLED);
  }

  /** Stops the generation as if its deadline had passed (a deadline enforced by the caller). */
  public void expire() {
    stop(GenerationStoppedException.Reason.DEADLINE);
  }

  public boolean isStopped() {
    return stopped != null;
  }

  /** Why it was stopped, or null while it may go on. */
  public GenerationStoppedException.Reason stopReason() {
    return stopped;
  }

  /** Runs {@code listener} after every decoding step (on the generating thread); e.g. a metric. */
  public GenerationControl onStep(Runnable listener) {
    this.stepListener = listener;
    return this;
  }

  /** Called by the engine after each decoding step. */
  public void stepped() {
    steps.incrementAndGet();
    stepListener.run();
  }

  /** Decoding steps run so far. */
  public long steps() {
    return steps.get();
  }

  /** The options every session run of this generation must use. */
  public RunOptions runOptions() {
    return runOptions;
  }

  /** Throws if the generation must stop now. */
  public void check() {
    if (stopped == null && System.nanoTime() >= deadlineNanos) {
      stop(GenerationStoppedException.Reason.DEADLINE);
    }
    GenerationStoppedException.Reason reason = stopped;
    if (reason != null) {
      throw new GenerationStoppedException(
          reason,
          reason == GenerationStoppedException.Reason.DEADLINE
              ? "generation deadline exceeded"
              : "generation cancelled");
    }
  }

  /** Turns an ONNX Runtime failure caused by a terminate request into the stop it stands for. */
  public RuntimeException failure(OrtException e) {
    if (stopped != null) {
      try {
        check();
      } catch (GenerationStoppedException stop) {
        return stop;
      }
    }
    return new IllegalStateException("inference failed: " + e.getMessage(), e);
  }

  private synchronized void stop(GenerationStoppedException.Reason reason) {
    if (stopped != null) {
      return;
    }
    stopped = reason;
    if (closed) {
      return; // finished already; the run options are gone
    }
    try {
      runOptions.setTerminate(true);
    } catch (OrtException e) {
      // the flag is also checked between steps
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (timer != null) {
      timer.cancel(false);
    }
    runOptions.close();
  }
}
