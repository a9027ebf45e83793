package multimodal.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one task per item on a bounded pool ({@code concurrency} threads, the rest queued) and hands
 * back each item's outcome, result or failure, in input order. The ingest consumer fetches the
 * {@code data.uri} sources of a batch with it, so one slow URL no longer holds up the others, and
 * reads the text of a batch's images with it while the batch is being captioned.
 */
public final class InputOrderPool implements AutoCloseable {
  /** One item's outcome: exactly one of {@code result} and {@code failure} is set. */
  public record Outcome<R>(R result, RuntimeException failure) {}

  private final ExecutorService pool;

  public InputOrderPool(int concurrency, String threadName) {
    AtomicInteger threads = new AtomicInteger();
    int size = Math.max(1, concurrency);
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            size,
            size,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            runnable -> {
              Thread thread = new Thread(runnable, threadName + "-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    executor.allowCoreThreadTimeOut(true); // idle between batches: no threads held
    this.pool = executor;
  }

  /**
   * Runs {@code task} for every item, at most {@code concurrency} at once; blocks until all ended.
   */
  public <T, R> List<Outcome<R>> map(List<T> items, Function<T, R> task) {
    return start(items, task).outcomes();
  }

  /**
   * Starts {@code task} for every item (at most {@code concurrency} at once) and returns at once,
   * so the caller can do other work meanwhile; {@link Running#outcomes()} waits for them.
   */
  public <T, R> Running<R> start(List<T> items, Function<T, R> task) {
    List<CompletableFuture<R>> running = new ArrayList<>(items.size());
    for (T item : items) {
      running.add(CompletableFuture.supplyAsync(() -> task.apply(item), pool));
    }
    return new Running<>(running);
  }

  /** Tasks started by {@link #start}. */
  public static final class Running<R> {
    private final List<CompletableFuture<R>> futures;

    private Running(List<CompletableFuture<R>> futures) {
      this.futures = futures;
    }

    /** Waits for every task; each item's result or failure, in input order. */
    public List<Outcome<R>> outcomes() {
      List<Outcome<R>> outcomes = new ArrayList<>(futures.size());
      for (CompletableFuture<R> future : futures) {
        try {
          outcomes.add(new Outcome<>(future.join(), null));
        } catch (CompletionException e) {
          if (e.getCause() instanceof RuntimeException failure) {
            outcomes.add(new Outcome<>(null, failure));
          } else if (e.getCause() instanceof Error error) {
            throw error;
          } else {
            throw e;
          }
        }
      }
      return outcomes;
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
