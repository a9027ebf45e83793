package multimodal.encoder.inference;

/**
 * Resizes an {@link RgbImage} with a separable bicubic convolution (a = -0.5, support 2) whose
 * kernel is stretched by the scale factor when shrinking, so downscaling antialiases; horizontal
 * pass first, then vertical, rounding to 8 bits after each pass. This follows the structure of
 * Pillow's {@code Resample.c}, unlike Java2D's bicubic, which does not antialias.
 *
 * <p>Not bit-exact with Pillow yet: Pillow accumulates in fixed point, this in double, so a few
 * values can differ by one. Pillow-exact resampling is issue 3.
 */
public final class BicubicResampler {
  private static final double A = -0.5;
  private static final double SUPPORT = 2.0;

  private BicubicResampler() {}

  public static RgbImage resize(RgbImage in, int outWidth, int outHeight) {
    if (in.width() == outWidth && in.height() == outHeight) {
      return in;
    }
    byte[] horizontal =
        in.width() == outWidth
            ? in.rgb()
            : pass(in.rgb(), in.width(), in.height(), outWidth, true);
    byte[] both =
        in.height() == outHeight
            ? horizontal
            : pass(horizontal, outWidth, in.height(), outHeight, false);
    return new RgbImage(outWidth, outHeight, both);
  }

  /** One 1-D pass along x ({@code alongX}) or y, from {@code inSize} to {@code outSize}. */
  private static byte[] pass(byte[] src, int width, int height, int outSize, boolean alongX) {
    int inSize = alongX ? width : height;
    Kernel kernel = Kernel.of(inSize, outSize);
    int outWidth = alongX ? outSize : width;
    int outHeight = alongX ? height : outSize;
    byte[] dst = new byte[outWidth * outHeight * 3];
    for (int y = 0; y < outHeight; y++) {
      for (int x = 0; x < outWidth; x++) {
        int o = alongX ? x : y;
        int start = kernel.start[o];
        int count = kernel.count[o];
        double r = 0;
        double g = 0;
        double b = 0;
        for (int k = 0; k < count; k++) {
          double w = kernel.weights[o * kernel.size + k];
          int index = alongX ? (y * width + start + k) * 3 : ((start + k) * width + x) * 3;
          r += w * (src[index] & 0xff);
          g += w * (src[index + 1] & 0xff);
          b += w * (src[index + 2] & 0xff);
        }
        int out = (y * outWidth + x) * 3;
        dst[out] = clamp8(r);
        dst[out + 1] = clamp8(g);
        dst[out + 2] = clamp8(b);
      }
    }
    return dst;
  }

  private static byte clamp8(double value) {
    long rounded = (long) Math.floor(value + 0.5);
    return (byte) Math.max(0, Math.min(255, rounded));
  }

  private static double cubic(double x) {
    x = Math.abs(x);
    if (x < 1.0) {
      return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * A;
    }
    return 0.0;
  }

  /** Normalised weights of every output position (Pillow's {@code precompute_coeffs}). */
  private record Kernel(int size, int[] start, int[] count, double[] weights) {
    static Kernel of(int inSize, int outSize) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = SUPPORT * filterScale;
      int size = (int) Math.ceil(support) * 2 + 1;
      int[] start = new int[outSize];
      int[] count = new int[outSize];
      double[] weights = new double[outSize * size];
      for (int o = 0; o < outSize; o++) {
        double center = (o + 0.5) * scale;
        int min = Math.max((int) (center - support + 0.5), 0);
        int n = Math.min((int) (center + support + 0.5), inSize) - min;
        double total = 0;
        for (int k = 0; k < n; k++) {
          double w = cubic((k + min - center + 0.5) / filterScale);
          weights[o * size + k] = w;
          total += w;
        }
        if (total != 0) {
          for (int k = 0; k < n; k++) {
            weights[o * size + k] /= total;
          }
        }
        start[o] = min;
        count[o] = n;
      }
      return new Kernel(size, start, count, weights);
    }
  }
}
