package multimodal.generator.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import multimodal.generator.BusyException;
import org.junit.jupiter.api.Test;

class CallLimitTest {
  @Test
  void refusesTheCallOverTheLimitAtOnceAndAdmitsAgainOnceOneEnds() throws Exception {
    CallLimit limit = new CallLimit(1);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> limit.run(() -> {
      started.countDown();
      await(release);
      return "first";
    }));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(() -> limit.run(() -> "second")).isInstanceOf(BusyException.class)
        .hasMessageContaining("generator.vision.max-calls");

    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(limit.run(() -> "third")).isEqualTo("third");
  }

  @Test
  void aFailedCallGivesItsPermitBack() {
    CallLimit limit = new CallLimit(1);
    assertThatThrownBy(() -> limit.run(() -> {
      throw new IllegalStateException("model failed");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(limit.run(() -> "next")).isEqualTo("next");
  }

  @Test
  void aLimitBelowOneIsAConfigurationError() {
    assertThatThrownBy(() -> new CallLimit(0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
