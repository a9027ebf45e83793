package multimodal.generator.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TfBilinearResizeTest {
  private static final float[] IDENTITY = TfBilinearResize.identityValues();

  /** A one-row image whose red channel holds {@code values} (green 0, blue 255). */
  private static RgbPixels row(int... values) {
    int[] rgb = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      rgb[i] = (values[i] << 16) | 0xFF;
    }
    return new RgbPixels(values.length, 1, rgb);
  }

  private static float[] reds(float[] out) {
    float[] reds = new float[out.length / 3];
    for (int i = 0; i < reds.length; i++) {
      reds[i] = out[3 * i];
    }
    return reds;
  }

  @Test
  void upscalingMapsOutputPixelIToSourceITimesInOverOutWithoutHalfPixelCentres() {
    float[] out = new float[4 * 3];
    TfBilinearResize.resize(row(0, 100), 1, 4, false, IDENTITY, out, 0);
    // sources 0, 0.5, 1, 1.5 (clamped to the last pixel): TF's default, not Pillow's centres
    assertThat(reds(out)).containsExactly(0f, 50f, 100f, 100f);
    assertThat(out[1]).isZero();
    assertThat(out[2]).isEqualTo(255f);
  }

  @Test
  void alignCornersMapsTheEndsOntoTheEnds() {
    float[] out = new float[4 * 3];
    TfBilinearResize.resize(row(0, 90), 1, 4, true, IDENTITY, out, 0);
    assertThat(reds(out)).containsExactly(0f, 30f, 60f, 90f);
  }

  @Test
  void downscalingSamplesAtIntegerStepsWithoutAveraging() {
    float[] out = new float[2 * 3];
    TfBilinearResize.resize(row(10, 20, 30, 40), 1, 2, false, IDENTITY, out, 0);
    assertThat(reds(out)).containsExactly(10f, 30f); // sources 0 and 2: no antialiasing filter
  }

  @Test
  void blendsRowsAndColumnsAndWritesAtTheOffset() {
    RgbPixels square = new RgbPixels(2, 2, new int[] {0, 100 << 16, 200 << 16, 0});
    float[] out = new float[5 + 4 * 4 * 3];
    TfBilinearResize.resize(square, 4, 4, false, IDENTITY, out, 5);
    // output (1, 1) samples source (0.5, 0.5): the mean of the four
    assertThat(out[5 + (1 * 4 + 1) * 3]).isEqualTo(75f);
    assertThat(out[0]).isZero();
  }

  @Test
  void unitValuesAreTheFloat32QuotientsTfJsStores() {
    float[] values = TfBilinearResize.unitValues();
    assertThat(values[0]).isZero();
    assertThat(values[255]).isEqualTo(1f);
    assertThat(values[128]).isEqualTo((float) (128 / 255.0));
  }
}
