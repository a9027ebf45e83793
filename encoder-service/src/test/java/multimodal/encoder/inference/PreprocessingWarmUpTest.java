package multimodal.encoder.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import multimodal.encoder.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PreprocessingWarmUpTest {
  private static EmbeddingModel clip;

  @BeforeAll
  static void load() {
    clip = ClipModelTest.LOADER.load("clip", TestModels.clipFixture(), Optional.empty());
  }

  @AfterAll
  static void close() throws Exception {
    clip.close();
  }

  @Test
  void decodesAndPreprocessesEveryGeneratedImageEachRound() throws Exception {
    assertThat(new PreprocessingWarmUp(3, 8).run(clip)).isEqualTo(12);
  }

  @Test
  void aTextOnlyModelHasNothingToWarm() throws Exception {
    try (EmbeddingModel miniLm =
        ClipModelTest.LOADER.load("minilm", TestModels.miniLm(), Optional.empty())) {
      assertThat(new PreprocessingWarmUp(3, 8).run(miniLm)).isZero();
    }
  }

  @Test
  void zeroRoundsTurnItOff() throws Exception {
    assertThat(new PreprocessingWarmUp(0, 32).run(clip)).isZero();
  }
}
