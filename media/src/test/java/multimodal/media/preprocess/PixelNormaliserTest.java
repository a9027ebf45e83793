package multimodal.media.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import multimodal.media.RgbImage;
import org.junit.jupiter.api.Test;

class PixelNormaliserTest {
  private static final float[] MEAN = {0.5f, 0.25f, 0.125f};
  private static final float[] STD = {0.5f, 0.25f, 2f};
  private final PixelNormaliser normaliser = PixelNormaliser.unitScale(MEAN, STD);

  @Test
  void normalisesEachChannelInDoubleThenStoresFloat() {
    for (int c = 0; c < 3; c++) {
      for (int v : new int[] {0, 1, 128, 255}) {
        assertThat(normaliser.value(c, v))
            .isEqualTo((float) ((v * (1 / 255.0) - MEAN[c]) / STD[c]));
      }
    }
  }

  /** A 4×1 image whose pixel x has value 10·x + c in channel c, laid out planar. */
  @Test
  void planarPutsEachChannelInItsOwnPlane() {
    RgbImage image = numbered(4, 1);

    float[] out = new PixelNormaliser(1, new float[3], new float[] {1, 1, 1}).planar(image);

    assertThat(out).containsExactly(0, 10, 20, 30, 1, 11, 21, 31, 2, 12, 22, 32);
  }

  /** top = (h - crop) // 2, left = (w - crop) // 2: a 5-wide image cropped to 2 starts at x = 1. */
  @Test
  void centreCropTakesTheFloorOfHalfTheMargin() {
    float[] out =
        new PixelNormaliser(1, new float[3], new float[] {1, 1, 1})
            .centreCrop(numbered(5, 1), 2, 1);

    assertThat(out).containsExactly(10, 20, 11, 21, 12, 22);
  }

  /** A crop larger than the image pads with the normalised value of 0, centred the same way. */
  @Test
  void centreCropPadsASmallerImageWithZeros() {
    PixelNormaliser plain = new PixelNormaliser(1, new float[] {1, 1, 1}, new float[] {1, 1, 1});

    float[] out = plain.centreCrop(numbered(1, 1), 3, 1);

    assertThat(out).containsExactly(-1, -1, -1, -1, 0, -1, -1, 1, -1);
  }

  @Test
  void refusesMeanOrStdWithoutThreeChannels() {
    assertThatThrownBy(() -> PixelNormaliser.unitScale(new float[] {0.5f}, STD))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fixedSizeResizesThenNormalisesPlanar() {
    FixedSizePreprocessor fixed =
        new FixedSizePreprocessor(
            3,
            2,
            ResampleFilter.BILINEAR,
            new PixelNormaliser(1, new float[3], new float[] {1, 1, 1}));

    float[] out = fixed.pixels(PillowResizeTest.flat(7, 9, 4, 5, 6));

    assertThat(out).containsExactly(4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6);
  }

  @Test
  void rgbImageReadsBackTheBufferedImageItMade() {
    RgbImage image = numbered(5, 3);

    BufferedImage awt = image.toBufferedImage();

    assertThat(RgbImage.of(awt).rgb()).isEqualTo(image.rgb());
  }

  private static RgbImage numbered(int width, int height) {
    byte[] rgb = new byte[width * height * 3];
    for (int i = 0; i < width * height; i++) {
      for (int c = 0; c < 3; c++) {
        rgb[i * 3 + c] = (byte) (10 * i + c);
      }
    }
    return new RgbImage(width, height, rgb);
  }
}
