package multimodal.encoder.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PreprocessingGateTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger inside = new AtomicInteger();
  private final AtomicInteger mostInside = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();

  @AfterEach
  void releaseHolders() throws InterruptedException {
    release.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
  }

  /** A thread that enters the gate and stays inside until {@link #release}. */
  private Thread holder(PreprocessingGate gate) {
    Thread thread =
        new Thread(
            () ->
                gate.run(
                    () -> {
                      mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      inside.decrementAndGet();
                      return null;
                    },
                    Long.MAX_VALUE));
    thread.start();
    threads.add(thread);
    return thread;
  }

  @Test
  void letsAtMostItsPermitsInAndTheNextInWhenOneLeaves() throws InterruptedException {
    PreprocessingGate gate = new PreprocessingGate(2);
    holder(gate);
    holder(gate);
    Thread third = holder(gate);
    await().until(() -> inside.get() == 2 && third.getState() == Thread.State.WAITING);

    release.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(mostInside).hasValue(2);
    assertThat(inside).hasValue(0);
  }

  @Test
  void countsTheImagesWaitingAndInsideUntilTheyLeaveOrFail() throws InterruptedException {
    PreprocessingGate gate = new PreprocessingGate(1);
    holder(gate);
    Thread waiting = holder(gate);
    await().until(() -> inside.get() == 1 && waiting.getState() == Thread.State.WAITING);
    assertThat(gate.inProgress()).isEqualTo(2);

    release.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(gate.inProgress()).isZero();
    runFailingWork(gate);
    assertThat(gate.inProgress()).isZero();
  }

  @Test
  void zeroMeansOnePermitPerProcessor() {
    PreprocessingGate gate = new PreprocessingGate(0);
    int processors = Runtime.getRuntime().availableProcessors();
    for (int i = 0; i < processors; i++) {
      holder(gate);
    }
    await().until(() -> inside.get() == processors);
    AtomicBoolean ran = new AtomicBoolean();

    assertThatThrownBy(() -> gate.run(() -> ran.getAndSet(true), System.nanoTime()))
        .isInstanceOf(DeadlineExpiredException.class);
    assertThat(ran).isFalse();
  }

  @Test
  void aDeadlinePassingWhileWaitingRefusesTheWorkWithoutRunningIt() {
    PreprocessingGate gate = new PreprocessingGate(1);
    holder(gate);
    await().until(() -> inside.get() == 1);
    AtomicBoolean ran = new AtomicBoolean();

    assertThatThrownBy(() -> gate.run(() -> ran.getAndSet(true), System.nanoTime() + 20_000_000L))
        .isInstanceOf(DeadlineExpiredException.class)
        .hasMessageContaining("waiting to preprocess");
    assertThat(ran).isFalse();
  }

  @Test
  void failingWorkGivesItsPermitBack() {
    PreprocessingGate gate = new PreprocessingGate(1);
    runFailingWork(gate);

    // With the permit lost, this would wait out its deadline and throw.
    assertThat(gate.run(() -> "embedded", System.nanoTime() + 60_000_000_000L))
        .isEqualTo("embedded");
  }

  private static void runFailingWork(PreprocessingGate gate) {
    assertThatThrownBy(
            () ->
                gate.run(
                    () -> {
                      throw new IllegalArgumentException("not an image");
                    },
                    Long.MAX_VALUE))
        .hasMessage("not an image");
  }
}
