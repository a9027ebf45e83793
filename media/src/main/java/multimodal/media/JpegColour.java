package multimodal.media;

import java.awt.image.Raster;

/**
 * libjpeg's YCbCr → RGB conversion ({@code jdcolor.c}: 16-bit fixed point, the same rounding
 * tables), applied to the raw components of a JPEG. Written out because Java's JPEG readers apply
 * an embedded ICC profile when converting to RGB, while Pillow (and so CLIP's training pipeline)
 * keeps libjpeg's plain conversion and ignores the profile.
 */
final class JpegColour {
  private static final int SCALEBITS = 16;
  private static final int ONE_HALF = 1 << (SCALEBITS - 1);
  private static final int[] CR_R = new int[256];
  private static final int[] CB_B = new int[256];
  private static final int[] CR_G = new int[256];
  private static final int[] CB_G = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int x = i - 128;
      CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
      CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
      CR_G[i] = -fix(0.71414) * x;
      CB_G[i] = -fix(0.34414) * x + ONE_HALF;
    }
  }

  private JpegColour() {}

  private static int fix(double x) {
    return (int) (x * (1L << SCALEBITS) + 0.5);
  }

  /** Interleaved 8-bit RGB from a 3-band Y, Cb, Cr raster. */
  static RgbImage fromYCbCr(Raster raster) {
    int width = raster.getWidth();
    int height = raster.getHeight();
    byte[] rgb = new byte[width * height * 3];
    int[] row = new int[width * 3];
    for (int y = 0; y < height; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
      for (int x = 0; x < width; x++) {
        int luma = row[x * 3];
        int cb = row[x * 3 + 1];
        int cr = row[x * 3 + 2];
        int out = (y * width + x) * 3;
        rgb[out] = clamp(luma + CR_R[cr]);
        rgb[out + 1] = clamp(luma + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
        rgb[out + 2] = clamp(luma + CB_B[cb]);
      }
    }
    return new RgbImage(width, height, rgb);
  }

  private static byte clamp(int v) {
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }
}
