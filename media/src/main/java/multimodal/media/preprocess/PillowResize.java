package multimodal.media.preprocess;

import multimodal.media.RgbImage;

/**
 * Pillow's resize ({@code Image.resize(size, resample)}) with its bilinear and bicubic filters,
 * bit-exact for 8-bit images: a port of {@code src/libImaging/Resample.c} (docs/models.md §2.2).
 * Written by hand because no maintained Java library reproduces Pillow's antialiasing filter, and
 * the platform's vision models were trained on Pillow's output; Java2D's scaling does not antialias
 * on downscale and uses other kernels.
 *
 * <p>Separable: a horizontal pass into an 8-bit intermediate, then a vertical pass. The filter
 * (support 1 bilinear, 2 bicubic) is stretched by the scale factor when shrinking; each output's
 * coefficients are normalised to sum 1 in double, then converted to fixed point with 22 fractional
 * bits (Pillow's {@code PRECISION_BITS = 32 - 8 - 2}); sums start at one half and are shifted back
 * and clamped to 0..255, exactly as Pillow's {@code clip8}.
 */
public final class PillowResize {
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private PillowResize() {}

  /** The image at {@code outWidth × outHeight}; the same image when the size does not change. */
  public static RgbImage resize(RgbImage in, int outWidth, int outHeight, ResampleFilter filter) {
    if (outWidth <= 0 || outHeight <= 0) {
      throw new IllegalArgumentException("size must be positive: " + outWidth + "x" + outHeight);
    }
    if (in.width() == outWidth && in.height() == outHeight) {
      return in;
    }
    Kernel horizontal = Kernel.of(in.width(), outWidth, filter);
    Kernel vertical = Kernel.of(in.height(), outHeight, filter);
    boolean needHorizontal = in.width() != outWidth;
    boolean needVertical = in.height() != outHeight;
    if (!needVertical) {
      return new RgbImage(
          outWidth, outHeight, horizontal(in.rgb(), in.width(), 0, in.height(), horizontal));
    }
    if (!needHorizontal) {
      return new RgbImage(
          outWidth, outHeight, vertical(in.rgb(), in.width(), vertical, 0, outHeight));
    }
    // Like Pillow, the horizontal pass covers only the rows the vertical pass reads.
    int firstRow = vertical.start[0];
    int lastRow = vertical.start[outHeight - 1] + vertical.count[outHeight - 1];
    byte[] temp = horizontal(in.rgb(), in.width(), firstRow, lastRow - firstRow, horizontal);
    return new RgbImage(
        outWidth, outHeight, vertical(temp, outWidth, vertical, firstRow, outHeight));
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
  private static byte[] vertical(
      byte[] src, int width, Kernel kernel, int firstRow, int outHeight) {
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

  /** Pillow's {@code precompute_coeffs} followed by {@code normalize_coeffs_8bpc}. */
  record Kernel(int size, int[] start, int[] count, int[] coefficients) {
    static Kernel of(int inSize, int outSize, ResampleFilter filter) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = filter.support * filterScale;
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
          double w = filter.weight((k + min - center + 0.5) * ss);
          weights[k] = w;
          total += w;
        }
        for (int k = 0; k < n; k++) {
          double w = total != 0.0 ? weights[k] / total : weights[k];
          coefficients[o * size + k] =
              w < 0
                  ? (int) (-0.5 + w * (1 << PRECISION_BITS))
                  : (int) (0.5 + w * (1 << PRECISION_BITS));
        }
        start[o] = min;
        count[o] = n;
      }
      return new Kernel(size, start, count, coefficients);
    }
  }
}
