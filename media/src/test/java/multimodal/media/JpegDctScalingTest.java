package multimodal.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import multimodal.media.ImageDecoder.Codecs;
import multimodal.media.ImageDecoder.TruncatedImages;
import multimodal.media.corpus.CorpusImages;
import org.junit.jupiter.api.Test;

/**
 * {@link ImageDecoder#decodeScaled}: a JPEG at least twice as large as asked is decoded smaller by
 * libjpeg-turbo, by the largest power of two (up to 8) that keeps the short side; anything else
 * comes back as {@link ImageDecoder#decode} gives it.
 */
class JpegDctScalingTest {
  private static final ImageDecoder FAST =
      new ImageDecoder(ImageLimits.PLATFORM, TruncatedImages.REFUSE, Codecs.FAST);
  private static final byte[] JPEG =
      CorpusImages.jpeg(CorpusImages.scene(BufferedImage.TYPE_INT_RGB), false); // 64x48

  @Test
  void aLargeJpegIsDecodedAtTheSmallestScaleThatKeepsTheShortSide() {
    RgbImage quarter = FAST.decodeScaled(JPEG, "image", 12); // 48 / 4 = 12, 48 / 8 = 6 < 12

    assertThat(new int[] {quarter.width(), quarter.height()}).containsExactly(16, 12);
  }

  @Test
  void aScaledJpegIsCloseToTheFullDecodeShrunk() {
    RgbImage half = FAST.decodeScaled(JPEG, "image", 24);
    RgbImage full = FAST.decode(JPEG, "image");

    assertThat(new int[] {half.width(), half.height()}).containsExactly(32, 24);
    long total = 0;
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 32; x++) {
        for (int c = 0; c < 3; c++) {
          int mean =
              (full.sample(2 * x, 2 * y, c)
                      + full.sample(2 * x + 1, 2 * y, c)
                      + full.sample(2 * x, 2 * y + 1, c)
                      + full.sample(2 * x + 1, 2 * y + 1, c))
                  / 4;
          total += Math.abs(half.sample(x, y, c) - mean);
        }
      }
    }
    // The same picture at half size: a few levels apart on average, not Pillow's exact values.
    assertThat((double) total / (32 * 24 * 3)).isLessThan(8.0);
  }

  @Test
  void smallJpegsAndOtherFormatsAreDecodedWhole() {
    byte[] png = CorpusImages.write(CorpusImages.scene(BufferedImage.TYPE_INT_RGB), "png");

    assertThat(FAST.decodeScaled(JPEG, "image", 25).rgb())
        .isEqualTo(FAST.decode(JPEG, "image").rgb()); // 48 / 2 < 25
    assertThat(FAST.decodeScaled(JPEG, "image", 0).rgb())
        .isEqualTo(FAST.decode(JPEG, "image").rgb());
    assertThat(FAST.decodeScaled(png, "image", 4).width()).isEqualTo(64);
    assertThat(
            new ImageDecoder(ImageLimits.PLATFORM, TruncatedImages.REFUSE, Codecs.IMAGEIO)
                .decodeScaled(JPEG, "image", 4)
                .width())
        .isEqualTo(64);
  }
}
