package multimodal.encoder.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {
  private final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
  private final List<Integer> expired = Collections.synchronizedList(new ArrayList<>());
  private final DynamicBatcher.BatchListener listener =
      new DynamicBatcher.BatchListener() {
        @Override
        public void batch(int size, long[] queueNanos, long runNanos) {
          batchSizes.add(size);
        }

        @Override
        public void expired(int count) {
          expired.add(count);
        }
      };

  @Test
  void runsItemsFromManyCallersTogetherUpToTheMaxBatchSize() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>(
            "t",
            4,
            Duration.ofMillis(50),
            100,
            1,
            inputs -> {
              gate.await(5, TimeUnit.SECONDS); // hold the worker so the others queue up
              return inputs.stream().map(i -> i * 10).toList();
            },
            listener)) {
      List<CompletableFuture<Integer>> first = batcher.submit(List.of(0), Long.MAX_VALUE);
      await().until(() -> batcher.queued() == 0); // the worker holds item 0
      List<CompletableFuture<Integer>> futures = new ArrayList<>();
      for (int i = 1; i <= 9; i++) {
        futures.addAll(batcher.submit(List.of(i), Long.MAX_VALUE));
      }
      gate.countDown();

      assertThat(first.get(0).get(5, TimeUnit.SECONDS)).isZero();
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).get(5, TimeUnit.SECONDS)).isEqualTo((i + 1) * 10);
      }
      assertThat(batchSizes).containsExactly(1, 4, 4, 1);
    }
  }

  @Test
  void aShortBatchWaitsForItemsStillOnTheirWay() throws Exception {
    AtomicInteger arriving = new AtomicInteger(3); // three items are being preprocessed
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>(
            "t",
            8,
            Duration.ofMillis(1),
            new DynamicBatcher.Fill(Duration.ofSeconds(5), arriving::get),
            100,
            1,
            inputs -> inputs,
            listener)) {
      List<CompletableFuture<Integer>> futures =
          new ArrayList<>(batcher.submit(List.of(0), Long.MAX_VALUE));
      for (int i = 1; i <= 3; i++) {
        Thread.sleep(30); // far beyond max-delay: without the fill wait each would run alone
        futures.addAll(batcher.submit(List.of(i), Long.MAX_VALUE));
        arriving.decrementAndGet();
      }

      for (CompletableFuture<Integer> future : futures) {
        future.get(5, TimeUnit.SECONDS);
      }
      assertThat(batchSizes).containsExactly(4);
    }
  }

  @Test
  void aShortBatchRunsAtMaxDelayWhenNothingIsOnItsWay() throws Exception {
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>(
            "t",
            8,
            Duration.ofMillis(1),
            new DynamicBatcher.Fill(Duration.ofSeconds(30), () -> 0),
            100,
            1,
            inputs -> inputs,
            listener)) {
      long start = System.nanoTime();
      assertThat(batcher.submit(List.of(7), Long.MAX_VALUE).get(0).get(5, TimeUnit.SECONDS))
          .isEqualTo(7);
      // 30 s of fill wait would apply if anything were arriving; nothing is, so it runs at once
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(batchSizes).containsExactly(1);
    }
  }

  @Test
  void theFillWaitIsBounded() throws Exception {
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>(
            "t",
            8,
            Duration.ofMillis(1),
            new DynamicBatcher.Fill(Duration.ofMillis(20), () -> 5), // never arrive
            100,
            1,
            inputs -> inputs,
            listener)) {
      assertThat(batcher.submit(List.of(1), Long.MAX_VALUE).get(0).get(5, TimeUnit.SECONDS))
          .isEqualTo(1);
      assertThat(batchSizes).containsExactly(1);
    }
  }

  @Test
  void refusesASubmissionThatDoesNotFitTheQueue() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>(
            "t",
            1,
            Duration.ZERO,
            3,
            1,
            inputs -> {
              gate.await(5, TimeUnit.SECONDS);
              return inputs;
            },
            listener)) {
      batcher.submit(List.of(1), Long.MAX_VALUE);
      await().until(() -> batcher.queued() == 0);
      batcher.submit(List.of(2, 3), Long.MAX_VALUE);

      assertThatThrownBy(() -> batcher.submit(List.of(4, 5), Long.MAX_VALUE))
          .isInstanceOf(OverloadedException.class)
          .hasMessageContaining("full (3 items)");
      gate.countDown();
    }
  }

  @Test
  void dropsItemsWhoseDeadlinePassedWhileQueued() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>(
            "t",
            8,
            Duration.ZERO,
            100,
            1,
            inputs -> {
              gate.await(5, TimeUnit.SECONDS);
              ran.addAll(inputs);
              return inputs;
            },
            listener)) {
      CompletableFuture<Integer> blocker = batcher.submit(List.of(1), Long.MAX_VALUE).get(0);
      await().until(() -> batcher.queued() == 0);
      CompletableFuture<Integer> late =
          batcher.submit(List.of(2), System.nanoTime() + 1_000_000).get(0);
      CompletableFuture<Integer> fine = batcher.submit(List.of(3), Long.MAX_VALUE).get(0);
      await().until(() -> waited(5)); // let the 1 ms deadline lapse while item 1 blocks the worker
      gate.countDown();

      assertThat(blocker.get(5, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(fine.get(5, TimeUnit.SECONDS)).isEqualTo(3);
      assertThatThrownBy(() -> late.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(DeadlineExpiredException.class);
      assertThat(ran).containsExactly(1, 3);
      assertThat(expired).containsExactly(1);
    }
  }

  @Test
  void failsEveryItemOfABatchWhoseRunFails() {
    try (DynamicBatcher<Integer, Integer> batcher =
        new DynamicBatcher<>(
            "t",
            8,
            Duration.ofMillis(20),
            100,
            1,
            inputs -> {
              throw new IllegalStateException("boom");
            },
            listener)) {
      List<CompletableFuture<Integer>> futures = batcher.submit(List.of(1, 2), Long.MAX_VALUE);

      for (CompletableFuture<Integer> future : futures) {
        assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("boom");
      }
    }
  }

  private long start = System.nanoTime();

  /** True once {@code ms} milliseconds passed since the test began (lets a deadline lapse). */
  private boolean waited(long ms) {
    return System.nanoTime() - start > ms * 1_000_000;
  }
}
