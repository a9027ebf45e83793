package multimodal.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code PngRgb}'s branch-free Paeth predictor against the PNG specification's, on every input. */
class PaethPredictorTest {
  @Test
  void agreesWithTheSpecificationsPredictorEverywhere() {
    int differences = 0;
    for (int a = 0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        for (int c = 0; c < 256; c++) {
          if (PngRgb.paeth(a, b, c) != specification(a, b, c)) {
            differences++;
          }
        }
      }
    }
    assertThat(differences).isZero();
  }

  /** As the PNG specification writes it (section 9.4). */
  private static int specification(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    if (pa <= pb && pa <= pc) {
      return a;
    }
    return pb <= pc ? b : c;
  }
}
