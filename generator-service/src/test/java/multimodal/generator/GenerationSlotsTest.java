package multimodal.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * GenerationSlots as Analyze uses it: no waiting room, so a call over the limit is refused at once.
 */
class GenerationSlotsTest {
  private static final String BUSY =
      "1 Analyze calls already wait for the vision models (generator.vision.max-calls); retry"
          + " later";

  @Test
  void refusesTheCallOverTheLimitAtOnceAndAdmitsAgainOnceOneEnds() throws Exception {
    GenerationSlots limit = new GenerationSlots(1, 0, BUSY);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> first =
        CompletableFuture.supplyAsync(
            () ->
                limit.run(
                    () -> {
                      started.countDown();
                      await(release);
                      return "first";
                    }));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(() -> limit.run(() -> "second"))
        .isInstanceOf(BusyException.class)
        .hasMessageContaining("generator.vision.max-calls");

    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(limit.run(() -> "third")).isEqualTo("third");
  }

  @Test
  void aFailedCallGivesItsPermitBack() {
    GenerationSlots limit = new GenerationSlots(1, 0, BUSY);
    assertThatThrownBy(
            () ->
                limit.run(
                    () -> {
                      throw new IllegalStateException("model failed");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(limit.run(() -> "next")).isEqualTo("next");
  }

  @Test
  void aLimitBelowOneIsAConfigurationError() {
    assertThatThrownBy(() -> new GenerationSlots(0, 0, BUSY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GenerationSlots(1, -1, BUSY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
