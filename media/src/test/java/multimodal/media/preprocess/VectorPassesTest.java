package multimodal.media.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import multimodal.media.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Vector API's passes give the scalar passes' bytes (which are Pillow's: {@code
 * PillowResizeGoldenTest}, {@code PillowResizeTest}) on noise, where every tap counts: sizes that
 * leave partial vectors and make the last pixels' loads reach the end of the array (where the
 * scalar code takes over), one and three channels, shrinking and enlarging, windows.
 */
class VectorPassesTest {
  private static final int[][] SIZES = {
    // in w, h, out w, h
    {1000, 872, 256, 224},
    {37, 23, 224, 224},
    {5, 3, 2, 9},
    {1, 1, 7, 5},
    {640, 427, 13, 11},
    {17, 300, 17, 31},
    {300, 17, 29, 17},
    {64, 48, 1, 1}
  };

  @Test
  void thisTestJvmRunsTheVectorPasses() {
    // surefire starts it with --add-modules jdk.incubator.vector, as the services' JVMs are; on
    // hardware with other vector widths the scalar passes are the right choice.
    assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
    assertThat(Passes.best() instanceof VectorPasses)
        .isEqualTo(VectorPasses.LANES == 8 || VectorPasses.LANES == 16);
  }

  @ParameterizedTest
  @EnumSource(ResampleFilter.class)
  void sameBytesAsTheScalarPasses(ResampleFilter filter) {
    SplittableRandom random = new SplittableRandom(17);
    for (int[] s : SIZES) {
      for (boolean grey : new boolean[] {false, true}) {
        RgbImage in = noise(random, s[0], s[1], grey);
        assertThat(resize(in, s, filter, new VectorPasses()).rgb())
            .as("%dx%d to %dx%d, grey %s", s[0], s[1], s[2], s[3], grey)
            .isEqualTo(resize(in, s, filter, new ScalarPasses()).rgb());
      }
    }
  }

  @Test
  void sameWindowAsTheScalarPasses() {
    RgbImage in = noise(new SplittableRandom(3), 451, 300, false);
    for (int[] w : new int[][] {{336, 224, 56, 0, 224, 224}, {336, 224, 0, 0, 1, 224}}) {
      assertThat(window(in, w, new VectorPasses())).isEqualTo(window(in, w, new ScalarPasses()));
    }
  }

  /** {@code w}: resized width, height, then the window's left, top, width, height. */
  private static byte[] window(RgbImage in, int[] w, Passes passes) {
    return PillowResize.window(
            in, w[0], w[1], ResampleFilter.BICUBIC, w[2], w[3], w[4], w[5], passes)
        .rgb();
  }

  private static RgbImage resize(RgbImage in, int[] s, ResampleFilter filter, Passes passes) {
    return PillowResize.window(in, s[2], s[3], filter, 0, 0, s[2], s[3], passes);
  }

  private static RgbImage noise(SplittableRandom random, int width, int height, boolean grey) {
    byte[] rgb = new byte[width * height * 3];
    for (int i = 0; i < rgb.length; i += 3) {
      int v = random.nextInt(256);
      rgb[i] = (byte) v;
      rgb[i + 1] = (byte) (grey ? v : random.nextInt(256));
      rgb[i + 2] = (byte) (grey ? v : random.nextInt(256));
    }
    return new RgbImage(width, height, rgb);
  }
}
