package multimodal.media.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import multimodal.media.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The resampler's arithmetic on cases small enough to work out by hand from Pillow's Resample.c;
 * the comparison with Pillow on real photographs is encoder-service's ClipImagePreprocessorTest
 * (all ten testdata images within 2e-6 after normalisation).
 */
class PillowResizeTest {

  /**
   * [0, 255] to four samples: centres 0.25, 0.75, 1.25, 1.75. Bilinear weights at 0.75 are 0.75 and
   * 0.25, so 255 × 0.25 = 63.75 lands on 64 after Pillow's half-up fixed point (and 191.25 on 191);
   * the outer samples see one source pixel only.
   */
  @Test
  void bilinearUpscaleRoundsInFixedPointLikePillow() {
    RgbImage out = PillowResize.resize(row(0, 255), 4, 1, ResampleFilter.BILINEAR);

    assertThat(channel(out, 0)).containsExactly(0, 64, 191, 255);
  }

  /** Bicubic overshoots at an edge and Pillow clamps to 0..255. */
  @Test
  void bicubicClampsTheOvershootAtAnEdge() {
    RgbImage out = PillowResize.resize(row(0, 0, 255, 255), 8, 1, ResampleFilter.BICUBIC);

    int[] values = channel(out, 0);
    assertThat(values[0]).isZero();
    assertThat(values[7]).isEqualTo(255);
    assertThat(values).isSorted();
  }

  /**
   * Downscaling widens the kernel by the scale factor (antialiasing): a 1-pixel checkerboard halved
   * becomes flat grey, where point sampling would keep black or white.
   */
  @ParameterizedTest
  @EnumSource(ResampleFilter.class)
  void downscaleAveragesAFineCheckerboard(ResampleFilter filter) {
    int size = 64;
    byte[] rgb = new byte[size * size * 3];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        byte v = (byte) ((x + y) % 2 == 0 ? 255 : 0);
        int base = (y * size + x) * 3;
        rgb[base] = v;
        rgb[base + 1] = v;
        rgb[base + 2] = v;
      }
    }
    RgbImage out = PillowResize.resize(new RgbImage(size, size, rgb), 16, 16, filter);

    for (int i = 0; i < out.rgb().length; i++) {
      assertThat(out.rgb()[i] & 0xff).isBetween(120, 135);
    }
  }

  @ParameterizedTest
  @EnumSource(ResampleFilter.class)
  void aFlatImageStaysFlatAtAnySize(ResampleFilter filter) {
    RgbImage flat = flat(37, 23, 200, 100, 7);

    for (int[] size : new int[][] {{224, 224}, {5, 3}, {37, 100}, {1, 1}}) {
      RgbImage out = PillowResize.resize(flat, size[0], size[1], filter);
      assertThat(out.width()).isEqualTo(size[0]);
      assertThat(out.height()).isEqualTo(size[1]);
      for (int y = 0; y < out.height(); y++) {
        for (int x = 0; x < out.width(); x++) {
          assertThat(new int[] {out.sample(x, y, 0), out.sample(x, y, 1), out.sample(x, y, 2)})
              .containsExactly(200, 100, 7);
        }
      }
    }
  }

  @Test
  void theSameSizeIsTheSameImage() {
    RgbImage image = flat(3, 2, 1, 2, 3);

    assertThat(PillowResize.resize(image, 3, 2, ResampleFilter.BICUBIC)).isSameAs(image);
  }

  @Test
  void refusesAnEmptySize() {
    assertThatThrownBy(
            () -> PillowResize.resize(flat(3, 2, 1, 2, 3), 0, 2, ResampleFilter.BILINEAR))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Computing only the centre crop's window gives the pixels of the whole resize followed by the
   * crop: landscape, portrait, a crop wider than the resized image (kept whole along that side), an
   * unchanged side, upscaling; random pixels so that every output differs.
   */
  @ParameterizedTest
  @EnumSource(ResampleFilter.class)
  void resizeCentreIsTheCropOfTheWholeResize(ResampleFilter filter) {
    java.util.Random random = new java.util.Random(17);
    int[][] cases = { // in w, h; out w, h; crop w, h
      {640, 427, 335, 224, 224, 224},
      {300, 451, 224, 336, 224, 224},
      {100, 60, 80, 48, 96, 32},
      {90, 70, 90, 40, 50, 30},
      {20, 30, 41, 61, 40, 40},
    };
    for (int[] c : cases) {
      byte[] rgb = new byte[c[0] * c[1] * 3];
      random.nextBytes(rgb);
      RgbImage in = new RgbImage(c[0], c[1], rgb);
      RgbImage whole = PillowResize.resize(in, c[2], c[3], filter);
      int width = Math.min(c[4], c[2]);
      int height = Math.min(c[5], c[3]);
      int left = (c[2] - width) / 2;
      int top = (c[3] - height) / 2;
      byte[] expected = new byte[width * height * 3];
      for (int y = 0; y < height; y++) {
        System.arraycopy(
            whole.rgb(), ((top + y) * c[2] + left) * 3, expected, y * width * 3, width * 3);
      }

      RgbImage window = PillowResize.resizeCentre(in, c[2], c[3], filter, c[4], c[5]);

      assertThat(new int[] {window.width(), window.height()}).containsExactly(width, height);
      assertThat(window.rgb()).as(java.util.Arrays.toString(c)).isEqualTo(expected);
    }
  }

  /**
   * A grey image is resized as one channel and copied to three; each channel of the three-channel
   * pass is the same function of its own values, so its red channel, fed the same grey values with
   * blue made different (forcing the three-channel pass), must come out identical.
   */
  @ParameterizedTest
  @EnumSource(ResampleFilter.class)
  void greyImagesGetTheValuesOfTheThreeChannelPass(ResampleFilter filter) {
    java.util.Random random = new java.util.Random(5);
    int width = 97;
    int height = 61;
    byte[] grey = new byte[width * height * 3];
    byte[] mixed = new byte[width * height * 3];
    for (int i = 0; i < width * height; i++) {
      byte v = (byte) random.nextInt(256);
      grey[i * 3] = v;
      grey[i * 3 + 1] = v;
      grey[i * 3 + 2] = v;
      mixed[i * 3] = v;
      mixed[i * 3 + 1] = v;
      mixed[i * 3 + 2] = (byte) ~v;
    }
    for (int[] size : new int[][] {{40, 25}, {97, 30}, {50, 61}, {150, 90}}) {
      RgbImage fromGrey =
          PillowResize.resize(new RgbImage(width, height, grey), size[0], size[1], filter);
      RgbImage fromMixed =
          PillowResize.resize(new RgbImage(width, height, mixed), size[0], size[1], filter);

      for (int c = 0; c < 3; c++) {
        assertThat(channel(fromGrey, c)).isEqualTo(channel(fromMixed, 0));
      }
    }
  }

  @Test
  void pillowsResampleNumbersPickTheFilter() {
    assertThat(ResampleFilter.fromPillow(2)).isEqualTo(ResampleFilter.BILINEAR);
    assertThat(ResampleFilter.fromPillow(3)).isEqualTo(ResampleFilter.BICUBIC);
    assertThat(ResampleFilter.fromPillow(1)).isEqualTo(ResampleFilter.BICUBIC);
  }

  static RgbImage row(int... values) {
    byte[] rgb = new byte[values.length * 3];
    for (int i = 0; i < values.length; i++) {
      rgb[i * 3] = (byte) values[i];
      rgb[i * 3 + 1] = (byte) values[i];
      rgb[i * 3 + 2] = (byte) values[i];
    }
    return new RgbImage(values.length, 1, rgb);
  }

  static RgbImage flat(int width, int height, int r, int g, int b) {
    byte[] rgb = new byte[width * height * 3];
    for (int i = 0; i < width * height; i++) {
      rgb[i * 3] = (byte) r;
      rgb[i * 3 + 1] = (byte) g;
      rgb[i * 3 + 2] = (byte) b;
    }
    return new RgbImage(width, height, rgb);
  }

  private static int[] channel(RgbImage image, int c) {
    int[] out = new int[image.width() * image.height()];
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        out[y * image.width() + x] = image.sample(x, y, c);
      }
    }
    return out;
  }
}
