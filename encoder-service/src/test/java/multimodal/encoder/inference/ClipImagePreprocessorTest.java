package multimodal.encoder.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import multimodal.encoder.TestImages;
import multimodal.media.ImageDecoder;
import multimodal.media.ImageLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClipImagePreprocessorTest {
  private static final Path IMAGES = Path.of("..", "testdata", "images");
  private static final int PLANE = 224 * 224;
  private final ImageDecoder decoder = new ImageDecoder(new ImageLimits(16 << 20, 40_000_000));
  private final ClipImagePreprocessor preprocessor =
      new ClipImagePreprocessor(PreprocessorConfig.openAiClip());

  /**
   * Reference values computed with Pillow (docs/models.md §2.6): per-channel means and
   * pixel_values[0,0,0,0], [0,1,100,100], [0,2,223,223], for all ten shared images. The resampler
   * is Pillow-exact, so PNG rows agree to the printed precision; JPEG rows may differ a little
   * because libjpeg-turbo and the Java decoder do not produce identical 8-bit values.
   */
  @ParameterizedTest
  @CsvSource({
    "astronaut.png,          0.274338, -0.164740, -0.108238,  0.295313, -1.722082, -1.480220",
    "chelsea.png,            0.372170, -0.117236, -0.345465, -0.025853, -1.436934,  0.524810",
    "coffee.png,             0.445082, -0.584336, -0.817681, -1.222924,  0.469053, -0.769216",
    "camera.png,             0.091844,  0.184840,  0.355054,  1.112824, -1.662050,  0.652790",
    "coins.png,             -0.379217, -0.299429, -0.103797,  0.076336, -0.941678, -0.726556",
    "clock_motion.png,       0.336501,  0.436357,  0.593371,  0.616478,  1.084371,  0.254628",
    "horse.png,              0.540352,  0.645924,  0.791938,  1.930336, -1.752097,  2.145897",
    "CLIP.png,              -0.485104, -0.400131, -0.174140, -1.792263, -0.761584, -1.480220",
    "rocket.jpg,            -0.940962, -0.738498, -0.204496, -1.500294, -0.761584, -0.911417",
    "hubble_deep_field.jpg, -1.517171, -1.451791, -1.204647, -0.682782, -1.572004, -1.252699",
  })
  void matchesPillowReferenceValues(
      String file, double r, double g, double b, double px0, double px1, double px2)
      throws IOException {
    float[] values =
        preprocessor.pixelValues(decoder.decode(Files.readAllBytes(IMAGES.resolve(file)), file));

    assertThat(values).hasSize(3 * PLANE);
    double[] expected = {r, g, b, px0, px1, px2};
    double[] actual = {
      mean(values, 0),
      mean(values, 1),
      mean(values, 2),
      values[0],
      values[PLANE + 100 * 224 + 100],
      values[2 * PLANE + 223 * 224 + 223]
    };
    double maxDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
    }
    System.out.printf("%s: max abs diff from Pillow %.7f%n", file, maxDiff);
    // The resampler is bit-exact and JPEGs are converted like libjpeg: only float printing differs
    // (the issue allows 0.02).
    double tolerance = 2e-6;
    assertThat(maxDiff).as("max abs diff of %s", file).isLessThanOrEqualTo(tolerance);
  }

  @Test
  void resizesTheShortSideTo224TruncatingTheLongSide() {
    assertThat(ClipImagePreprocessor.resizedSize(451, 300, 224)).containsExactly(336, 224);
    assertThat(ClipImagePreprocessor.resizedSize(2162, 762, 224)).containsExactly(635, 224);
    assertThat(ClipImagePreprocessor.resizedSize(300, 451, 224)).containsExactly(224, 336);
  }

  @Test
  void replicatesGreyIntoThreeChannelsWithoutGammaChange() {
    BufferedImage grey = new BufferedImage(300, 200, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 200; y++) {
      for (int x = 0; x < 300; x++) {
        grey.getRaster().setSample(x, y, 0, 128);
      }
    }
    float[] values = preprocessor.pixelValues(decoder.decode(TestImages.png(grey), "grey"));

    float[] expected = normalised(128, 128, 128);
    assertThat(values[0]).isCloseTo(expected[0], within(1e-5f));
    assertThat(values[PLANE + 5000]).isCloseTo(expected[1], within(1e-5f));
    assertThat(values[2 * PLANE + 40000]).isCloseTo(expected[2], within(1e-5f));
  }

  @Test
  void dropsAlphaKeepingTheStoredColour() {
    BufferedImage rgba = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        rgba.setRGB(x, y, 0x00ff0000); // fully transparent red
      }
    }
    float[] values = preprocessor.pixelValues(decoder.decode(TestImages.png(rgba), "rgba"));

    float[] red = normalised(255, 0, 0);
    assertThat(values[PLANE / 2]).isCloseTo(red[0], within(1e-5f));
    assertThat(values[PLANE + PLANE / 2]).isCloseTo(red[1], within(1e-5f));
    assertThat(values[2 * PLANE + PLANE / 2]).isCloseTo(red[2], within(1e-5f));
  }

  private static float[] normalised(int r, int g, int b) {
    PreprocessorConfig c = PreprocessorConfig.openAiClip();
    int[] rgb = {r, g, b};
    float[] out = new float[3];
    for (int i = 0; i < 3; i++) {
      out[i] = (float) ((rgb[i] * c.rescaleFactor() - c.mean()[i]) / c.std()[i]);
    }
    return out;
  }

  private static double mean(float[] values, int channel) {
    double sum = 0;
    for (int i = channel * PLANE; i < (channel + 1) * PLANE; i++) {
      sum += values[i];
    }
    return sum / PLANE;
  }
}
