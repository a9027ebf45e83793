package multimodal.encoder.inference;

import multimodal.media.RgbImage;
/**
 * Pillow's bicubic resize ({@code Image.resize(size, Image.BICUBIC)}), bit-exact for 8-bit
 * images: a port of {@code src/libImaging/Resample.c} (docs/models.md §2.2). Written by hand
 * because no maintained Java library reproduces Pillow's antialiasing filter, and CLIP's
 * embeddings were trained on Pillow's output; Java2D's bicubic does not antialias on downscale.
 *
 * <p>Separable: a horizontal pass into an 8-bit intermediate, then a vertical pass. The cubic
 * kernel (a = -0.5, support 2) is stretched by the scale factor when shrinking; each output's
 * coefficients are normalised to sum 1 in double, then converted to fixed point with 22
 * fractional bits (Pillow's {@code PRECISION_BITS = 32 - 8 - 2}); sums start at one half and are
 * shifted back and clamped to 0..255, exactly as Pillow's {@code clip8}.
 */
public final class BicubicResampler {
  private static final double A = -0.5;
  private static final double SUPPORT = 2.0;
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private BicubicResampler() {}

  public static RgbImage resize(RgbImage in, int outWidth, int outHeight) {
    if (in.width() == outWidth && in.height() == outHeight) {
      return in;
    }
    Kernel horizontal = Kernel.of(in.width(), outWidth);
    Kernel vertical = Kernel.of(in.height(), outHeight);
    boolean needHorizontal = in.width() != outWidth;
    boolean needVertical = in.height() != outHeight;
    if (!needVertical) {
      return new RgbImage(outWidth, outHeight, horizontal(in.rgb(), in.width(), 0, in.height(), horizontal));
    }
    if (!needHorizontal) {
      return new RgbImage(outWidth, outHeight, vertical(in.rgb(), in.width(), vertical, 0, outHeight));
    }
    // Like Pillow, the horizontal pass covers only the rows the vertical pass reads.
    int firstRow = vertical.start[0];
    int lastRow = vertical.start[outHeight - 1] + vertical.count[outHeight - 1];
    byte[] temp = horizontal(in.rgb(), in.width(), firstRow, lastRow - firstRow, horizontal);
    return new RgbImage(outWidth, outHeight, vertical(temp, outWidth, vertical, firstRow, outHeight));
  }

  private static byte[] horizontal(byte[] src, int width, int firstRow, int rows, Kernel kernel) {
    int outWidth = kernel.start.length;
    byte[] dst = new byte[outWidth * rows * 3];
    for (int y = 0; y < rows; y++) {
      int rowBase = (y + firstRow) * width;
      for (int x = 0; x < outWidth; x++) {
        int start = kernel.start[x];
        int count = kernel.count[x];
        int k0 = x * kernel.size;
        int r = 1 << (PRECISION_BITS - 1);
        int g = r;
        int b = r;
        for (int k = 0; k < count; k++) {
          int w = kernel.coefficients[k0 + k];
          int index = (rowBase + start + k) * 3;
          r += (src[index] & 0xff) * w;
          g += (src[index + 1] & 0xff) * w;
          b += (src[index + 2] & 0xff) * w;
        }
        int out = (y * outWidth + x) * 3;
        dst[out] = clip8(r);
        dst[out + 1] = clip8(g);
        dst[out + 2] = clip8(b);
      }
    }
    return dst;
  }

  /** {@code src} holds rows from {@code firstRow} on; kernel bounds are in source rows. */
  private static byte[] vertical(byte[] src, int width, Kernel kernel, int firstRow, int outHeight) {
    byte[] dst = new byte[width * outHeight * 3];
    for (int y = 0; y < outHeight; y++) {
      int start = kernel.start[y] - firstRow;
      int count = kernel.count[y];
      int k0 = y * kernel.size;
      for (int x = 0; x < width; x++) {
        int r = 1 << (PRECISION_BITS - 1);
        int g = r;
        int b = r;
        for (int k = 0; k < count; k++) {
          int w = kernel.coefficients[k0 + k];
          int index = ((start + k) * width + x) * 3;
          r += (src[index] & 0xff) * w;
          g += (src[index + 1] & 0xff) * w;
          b += (src[index + 2] & 0xff) * w;
        }
        int out = (y * width + x) * 3;
        dst[out] = clip8(r);
        dst[out + 1] = clip8(g);
        dst[out + 2] = clip8(b);
      }
    }
    return dst;
  }

  private static byte clip8(int sum) {
    int v = sum >> PRECISION_BITS; // arithmetic shift: floor, as in C
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }

  static double cubic(double x) {
    x = Math.abs(x);
    if (x < 1.0) {
      return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * A;
    }
    return 0.0;
  }

  /** Pillow's {@code precompute_coeffs} followed by {@code normalize_coeffs_8bpc}. */
  record Kernel(int size, int[] start, int[] count, int[] coefficients) {
    static Kernel of(int inSize, int outSize) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = SUPPORT * filterScale;
      int size = (int) Math.ceil(support) * 2 + 1;
      int[] start = new int[outSize];
      int[] count = new int[outSize];
      int[] coefficients = new int[outSize * size];
      double[] weights = new double[size];
      double ss = 1.0 / filterScale;
      for (int o = 0; o < outSize; o++) {
        double center = (o + 0.5) * scale;
        int min = Math.max((int) (center - support + 0.5), 0);
        int n = Math.min((int) (center + support + 0.5), inSize) - min;
        double total = 0;
        for (int k = 0; k < n; k++) {
          double w = cubic((k + min - center + 0.5) * ss);
          weights[k] = w;
          total += w;
        }
        for (int k = 0; k < n; k++) {
          double w = total != 0.0 ? weights[k] / total : weights[k];
          coefficients[o * size + k] =
              w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS)) : (int) (0.5 + w * (1 << PRECISION_BITS));
        }
        start[o] = min;
        count[o] = n;
      }
      return new Kernel(size, start, count, coefficients);
    }
  }
}
