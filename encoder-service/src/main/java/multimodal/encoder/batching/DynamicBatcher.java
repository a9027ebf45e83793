package multimodal.encoder.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Collects single items from many callers (gRPC requests, Kafka records) into batches for one model
 * run: a worker takes the first waiting item, then keeps taking until it has {@code maxBatchSize}
 * items or {@code maxDelay} has passed since the first, and runs the batch. The queue is bounded
 * ({@code capacity} items; a submission that does not fit is refused whole with {@link
 * OverloadedException}); items whose deadline passed while queued are dropped, never run.
 *
 * <p>With a {@link Fill}, a batch that is still short when {@code maxDelay} has passed waits up to
 * {@link Fill#maxWait()} longer while more items are on their way (being decoded and preprocessed):
 * on a CPU shared by preprocessing and inference, running half-full batches costs more CPU per item
 * than waiting, because the cores are busy preprocessing the missing items meanwhile.
 *
 * <p>Plain Java (no Quarkus); metrics go to a {@link BatchListener}.
 *
 * @param <I> one input item (a text, an image's pixel values)
 * @param <O> its result (a vector)
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {
  /** Runs one batch; returns one result per input, in order. */
  @FunctionalInterface
  public interface BatchFunction<I, O> {
    List<O> run(List<I> inputs) throws Exception;
  }

  /** What a batcher reports. */
  public interface BatchListener {
    /** A batch ran: its size, the time its items waited, and the run time. */
    void batch(int size, long[] queueNanos, long runNanos);

    /** Items were dropped because their deadline passed while they waited. */
    void expired(int count);

    BatchListener NONE =
        new BatchListener() {
          @Override
          public void batch(int size, long[] queueNanos, long runNanos) {}

          @Override
          public void expired(int count) {}
        };
  }

  /**
   * How a short batch waits for items that are about to arrive.
   *
   * @param maxWait the most a batch waits beyond {@code maxDelay}; zero never waits
   * @param arriving items on their way to this batcher now (e.g. being preprocessed)
   */
  public record Fill(java.time.Duration maxWait, IntSupplier arriving) {
    /** Never waits beyond {@code maxDelay}. */
    public static final Fill NONE = new Fill(java.time.Duration.ZERO, () -> 0);

    public Fill {
      if (maxWait.isNegative()) {
        throw new IllegalArgumentException("fill wait must not be negative: " + maxWait);
      }
    }
  }

  private record Job<I, O>(
      I input, long enqueuedNanos, long deadlineNanos, CompletableFuture<O> result) {}

  private static final long FILL_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final String name;
  private final int maxBatchSize;
  private final long maxDelayNanos;
  private final long fillWaitNanos;
  private final IntSupplier arriving;
  private final BatchFunction<I, O> function;
  private final BatchListener listener;
  private final BlockingQueue<Job<I, O>> queue = new LinkedBlockingQueue<>();
  private final Semaphore capacity;
  private final int capacityTotal;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean closed;

  /**
   * @param workers threads that run batches at once (each with its share of the cores)
   */
  public DynamicBatcher(
      String name,
      int maxBatchSize,
      java.time.Duration maxDelay,
      int capacity,
      int workers,
      BatchFunction<I, O> function,
      BatchListener listener) {
    this(name, maxBatchSize, maxDelay, Fill.NONE, capacity, workers, function, listener);
  }

  /**
   * @param fill how a short batch waits for items on their way
   * @param workers threads that run batches at once (each with its share of the cores)
   */
  public DynamicBatcher(
      String name,
      int maxBatchSize,
      java.time.Duration maxDelay,
      Fill fill,
      int capacity,
      int workers,
      BatchFunction<I, O> function,
      BatchListener listener) {
    if (maxBatchSize < 1 || capacity < 1 || workers < 1) {
      throw new IllegalArgumentException("batch size, capacity and workers must be at least 1");
    }
    this.name = name;
    this.maxBatchSize = maxBatchSize;
    this.maxDelayNanos = maxDelay.toNanos();
    this.fillWaitNanos = fill.maxWait().toNanos();
    this.arriving = fill.arriving();
    this.function = function;
    this.listener = listener;
    this.capacity = new Semaphore(capacity);
    this.capacityTotal = capacity;
    for (int i = 0; i < workers; i++) {
      Thread worker = new Thread(this::work, "batcher-" + name + "-" + i);
      worker.setDaemon(true);
      worker.start();
      this.workers.add(worker);
    }
  }

  /**
   * Queues the items; the futures complete with their results, in order, or exceptionally with
   * {@link DeadlineExpiredException} or the batch's failure.
   *
   * @param deadlineNanos a {@link System#nanoTime()} after which the items must not run; {@code
   *     Long.MAX_VALUE} for none
   * @throws OverloadedException when the queue cannot take all of them now
   */
  public List<CompletableFuture<O>> submit(List<I> inputs, long deadlineNanos) {
    if (closed) {
      throw new IllegalStateException("batcher " + name + " is closed");
    }
    if (inputs.size() > capacityTotal || !capacity.tryAcquire(inputs.size())) {
      throw new OverloadedException(
          "batch queue of " + name + " is full (" + capacityTotal + " items); retry later");
    }
    long now = System.nanoTime();
    List<CompletableFuture<O>> futures = new ArrayList<>(inputs.size());
    for (I input : inputs) {
      CompletableFuture<O> future = new CompletableFuture<>();
      futures.add(future);
      queue.add(new Job<>(input, now, deadlineNanos, future));
    }
    return futures;
  }

  /** Items waiting now. */
  public int queued() {
    return queue.size();
  }

  private void work() {
    List<Job<I, O>> batch = new ArrayList<>(maxBatchSize);
    while (!closed) {
      try {
        Job<I, O> first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        fill(batch, System.nanoTime());
        capacity.release(batch.size());
        run(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  /**
   * Takes items until the batch is full or {@code maxDelay} has passed since {@code start}; then,
   * while items are still arriving, until {@code fillWait} more has passed.
   */
  private void fill(List<Job<I, O>> batch, long start) throws InterruptedException {
    long until = start + maxDelayNanos;
    long fillUntil = until + fillWaitNanos;
    while (batch.size() < maxBatchSize) {
      long now = System.nanoTime();
      long left = until - now;
      Job<I, O> next;
      if (left > 0) {
        next = queue.poll(left, TimeUnit.NANOSECONDS);
      } else if (fillUntil - now > 0 && arriving.getAsInt() > 0) {
        // Short polls, so that the batch runs as soon as nothing is on its way any more.
        next = queue.poll(Math.min(FILL_POLL_NANOS, fillUntil - now), TimeUnit.NANOSECONDS);
      } else {
        next = queue.poll();
        if (next == null) {
          return;
        }
      }
      if (next != null) {
        batch.add(next);
      }
    }
  }

  private void run(List<Job<I, O>> batch) {
    long start = System.nanoTime();
    List<Job<I, O>> live = new ArrayList<>(batch.size());
    for (Job<I, O> job : batch) {
      if (job.deadlineNanos() - start < 0) {
        job.result()
            .completeExceptionally(new DeadlineExpiredException("deadline passed while queued"));
      } else if (!job.result().isDone()) { // a caller that gave up may have cancelled it
        live.add(job);
      }
    }
    if (live.size() < batch.size()) {
      listener.expired(batch.size() - live.size());
    }
    if (live.isEmpty()) {
      return;
    }
    List<I> inputs = new ArrayList<>(live.size());
    long[] waited = new long[live.size()];
    for (int i = 0; i < live.size(); i++) {
      inputs.add(live.get(i).input());
      waited[i] = start - live.get(i).enqueuedNanos();
    }
    try {
      List<O> outputs = function.run(inputs);
      if (outputs.size() != inputs.size()) {
        throw new IllegalStateException(
            "batch of " + inputs.size() + " returned " + outputs.size() + " results");
      }
      listener.batch(live.size(), waited, System.nanoTime() - start);
      for (int i = 0; i < live.size(); i++) {
        live.get(i).result().complete(outputs.get(i));
      }
    } catch (Exception | LinkageError e) {
      for (Job<I, O> job : live) {
        job.result().completeExceptionally(e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    workers.forEach(Thread::interrupt);
    Job<I, O> job;
    while ((job = queue.poll()) != null) {
      job.result().completeExceptionally(new IllegalStateException("batcher " + name + " closed"));
    }
  }
}
