package multimodal.retrieval.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShardOrdinalTest {
  @Test
  void aStatefulSetPodIsTheShardOfItsOrdinal() {
    assertThat(ShardOrdinal.resolve(Optional.empty(), 3, () -> "retrieval-service-2")).isEqualTo(2);
    assertThat(ShardOrdinal.resolve(Optional.empty(), 12, () -> "retrieval-service-10"))
        .isEqualTo(10);
  }

  @Test
  void anExplicitIndexWins() {
    assertThat(ShardOrdinal.resolve(Optional.of(1), 3, () -> "retrieval-service-2")).isEqualTo(1);
  }

  @Test
  void oneShardIsShardZeroWhateverTheHostIsCalled() {
    assertThat(ShardOrdinal.resolve(Optional.empty(), 1, () -> "build-host-7")).isZero();
    assertThat(ShardOrdinal.resolve(Optional.empty(), 1, () -> null)).isZero();
  }

  @Test
  void severalShardsWithoutIndexOrOrdinalAreRefused() {
    assertThatThrownBy(() -> ShardOrdinal.resolve(Optional.empty(), 3, () -> "laptop"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retrieval.shard.index");
  }
}
