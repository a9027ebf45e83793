package multimodal.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InputOrderPoolTest {

  @Test
  void runsTheTasksConcurrentlyAndReturnsOutcomesInInputOrder() {
    // Task i may finish only after task i+1 has: they finish last-first, which only works when
    // they run at the same time, and the outcomes must still come back first-first.
    int n = 5;
    List<CountDownLatch> finished = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      finished.add(new CountDownLatch(1));
    }
    try (InputOrderPool pool = new InputOrderPool(n, "test-fetch")) {
      List<InputOrderPool.Outcome<String>> outcomes =
          pool.map(
              List.of(0, 1, 2, 3, 4),
              i -> {
                if (i + 1 < n) {
                  await(finished.get(i + 1));
                }
                finished.get(i).countDown();
                return "item-" + i;
              });

      assertThat(outcomes)
          .extracting(InputOrderPool.Outcome::result)
          .containsExactly("item-0", "item-1", "item-2", "item-3", "item-4");
    }
  }

  @Test
  void runsAtMostConcurrencyTasksAtOnce() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CyclicBarrier pairs = new CyclicBarrier(2);
    try (InputOrderPool pool = new InputOrderPool(2, "test-fetch")) {
      List<InputOrderPool.Outcome<Integer>> outcomes =
          pool.map(
              List.of(1, 2, 3, 4, 5, 6),
              i -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                  pairs.await(5, TimeUnit.SECONDS); // two at a time meet here
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                } finally {
                  running.decrementAndGet();
                }
                return i;
              });

      assertThat(outcomes)
          .extracting(InputOrderPool.Outcome::result)
          .containsExactly(1, 2, 3, 4, 5, 6);
      assertThat(most.get()).isEqualTo(2);
    }
  }

  @Test
  void aFailureStaysWithItsItemAndTheOthersComplete() {
    try (InputOrderPool pool = new InputOrderPool(3, "test-fetch")) {
      List<InputOrderPool.Outcome<String>> outcomes =
          pool.map(
              List.of("a", "bad", "c"),
              item -> {
                if (item.equals("bad")) {
                  throw new IllegalArgumentException("cannot fetch " + item);
                }
                return item.toUpperCase();
              });

      assertThat(outcomes.get(0).result()).isEqualTo("A");
      assertThat(outcomes.get(1).result()).isNull();
      assertThat(outcomes.get(1).failure())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("cannot fetch bad");
      assertThat(outcomes.get(2).result()).isEqualTo("C");
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            "the next task never finished: tasks do not run concurrently");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
