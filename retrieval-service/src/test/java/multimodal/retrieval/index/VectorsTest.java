package multimodal.retrieval.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VectorsTest {
  @Test
  void dotOfUnitVectorsIsTheirCosine() {
    float[] a = Vectors.normalized(new float[] {3, 4});
    float[] b = Vectors.normalized(new float[] {4, 3});
    assertThat(Vectors.dot(a, b)).isCloseTo(24f / 25f, within(1e-6f));
    assertThat(Vectors.dot(a, a)).isCloseTo(1f, within(1e-6f));
    assertThat(Vectors.dot(a, new float[] {-0.6f, -0.8f})).isCloseTo(-1f, within(1e-6f));
  }

  @Test
  void normalizedRefusesVectorsWithoutADirection() {
    assertThatThrownBy(() -> Vectors.normalized(new float[] {0, 0}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Vectors.normalized(new float[] {Float.NaN, 1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cosineFromLuceneDotProductScoreUndoesItsShift() {
    assertThat(Vectors.cosineFromDotProductScore(1f)).isEqualTo(1f);
    assertThat(Vectors.cosineFromDotProductScore(0.5f)).isEqualTo(0f);
    assertThat(Vectors.cosineFromDotProductScore(0f)).isEqualTo(-1f);
  }
}
