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
 *
 * <p>Each output pixel depends only on its own kernel, so {@link #resizeCentre} computes just the
 * window a centre crop keeps (Pillow resizes the whole image, then crops): the same values, with a
 * third less work for a 3:2 photograph. The vertical pass runs row by row over the whole width, a
 * loop the JIT turns into vector instructions.
 */
public final class PillowResize {
  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final int HALF = 1 << (PRECISION_BITS - 1);

  private PillowResize() {}

  /** The image at {@code outWidth × outHeight}; the same image when the size does not change. */
  public static RgbImage resize(RgbImage in, int outWidth, int outHeight, ResampleFilter filter) {
    checkSize(outWidth, outHeight);
    if (in.width() == outWidth && in.height() == outHeight) {
      return in;
    }
    return window(in, outWidth, outHeight, filter, 0, 0, outWidth, outHeight);
  }

  /**
   * The centre {@code cropWidth × cropHeight} of the image resized to {@code outWidth × outHeight}
   * (offsets {@code (out - crop) // 2}, Python transformers' rule), or the whole resized extent
   * along a side where it is smaller than the crop: the pixels of {@code resize} followed by that
   * crop, computing only those.
   */
  public static RgbImage resizeCentre(
      RgbImage in,
      int outWidth,
      int outHeight,
      ResampleFilter filter,
      int cropWidth,
      int cropHeight) {
    checkSize(outWidth, outHeight);
    checkSize(cropWidth, cropHeight);
    int width = Math.min(cropWidth, outWidth);
    int height = Math.min(cropHeight, outHeight);
    return window(
        in,
        outWidth,
        outHeight,
        filter,
        (outWidth - width) / 2,
        (outHeight - height) / 2,
        width,
        height);
  }

  private static void checkSize(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
    }
  }

  /** Columns {@code left..left+width} and rows {@code top..top+height} of the resized image. */
  private static RgbImage window(
      RgbImage in,
      int outWidth,
      int outHeight,
      ResampleFilter filter,
      int left,
      int top,
      int width,
      int height) {
    // A grey image (three equal channels: grey JPEGs and PNGs, after conversion) is resized as one
    // channel and copied back to three: each channel's sums are the same function of its values.
    int channels = isGrey(in.rgb()) ? 1 : 3;
    byte[] src = channels == 3 ? in.rgb() : firstChannel(in.rgb());
    boolean needHorizontal = in.width() != outWidth;
    boolean needVertical = in.height() != outHeight;
    Kernel vertical = needVertical ? Kernel.of(in.height(), outHeight, filter) : null;
    // Like Pillow, the horizontal pass covers only the source rows the vertical pass reads.
    int firstRow = needVertical ? vertical.start[top] : top;
    int lastRow =
        needVertical
            ? vertical.start[top + height - 1] + vertical.count[top + height - 1]
            : top + height;
    byte[] rows =
        needHorizontal
            ? channels == 3
                ? horizontal(
                    src,
                    in.width(),
                    Kernel.of(in.width(), outWidth, filter),
                    left,
                    width,
                    firstRow,
                    lastRow)
                : horizontalGrey(
                    src,
                    in.width(),
                    Kernel.of(in.width(), outWidth, filter),
                    left,
                    width,
                    firstRow,
                    lastRow)
            : columns(src, in.width(), channels, left, width, firstRow, lastRow);
    byte[] out =
        needVertical ? vertical(rows, width * channels, vertical, firstRow, top, height) : rows;
    return new RgbImage(width, height, channels == 3 ? out : toThreeChannels(out));
  }

  private static boolean isGrey(byte[] rgb) {
    for (int i = 0; i < rgb.length; i += 3) {
      if (rgb[i] != rgb[i + 1] || rgb[i] != rgb[i + 2]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] firstChannel(byte[] rgb) {
    byte[] grey = new byte[rgb.length / 3];
    for (int i = 0; i < grey.length; i++) {
      grey[i] = rgb[i * 3];
    }
    return grey;
  }

  private static byte[] toThreeChannels(byte[] grey) {
    byte[] rgb = new byte[grey.length * 3];
    for (int i = 0; i < grey.length; i++) {
      rgb[i * 3] = grey[i];
      rgb[i * 3 + 1] = grey[i];
      rgb[i * 3 + 2] = grey[i];
    }
    return rgb;
  }

  /** Rows {@code firstRow..lastRow}, columns {@code left..left+width} of the source, unchanged. */
  private static byte[] columns(
      byte[] src, int srcWidth, int channels, int left, int width, int firstRow, int lastRow) {
    int length = width * channels;
    byte[] dst = new byte[(lastRow - firstRow) * length];
    for (int y = firstRow; y < lastRow; y++) {
      System.arraycopy(src, (y * srcWidth + left) * channels, dst, (y - firstRow) * length, length);
    }
    return dst;
  }

  /** The horizontal pass of one-channel (grey) rows. */
  private static byte[] horizontalGrey(
      byte[] src, int srcWidth, Kernel kernel, int left, int width, int firstRow, int lastRow) {
    int[] coefficients = kernel.coefficients;
    byte[] dst = new byte[(lastRow - firstRow) * width];
    int out = 0;
    for (int y = firstRow; y < lastRow; y++) {
      int rowBase = y * srcWidth;
      for (int x = left; x < left + width; x++) {
        int index = rowBase + kernel.start[x];
        int k0 = x * kernel.size;
        int k1 = k0 + kernel.count[x];
        int v = HALF;
        for (int k = k0; k < k1; k++, index++) {
          v += (src[index] & 0xff) * coefficients[k];
        }
        dst[out++] = clip8(v);
      }
    }
    return dst;
  }

  private static byte[] horizontal(
      byte[] src, int srcWidth, Kernel kernel, int left, int width, int firstRow, int lastRow) {
    int[] coefficients = kernel.coefficients;
    byte[] dst = new byte[(lastRow - firstRow) * width * 3];
    int out = 0;
    for (int y = firstRow; y < lastRow; y++) {
      int rowBase = y * srcWidth * 3;
      for (int x = left; x < left + width; x++) {
        int index = rowBase + kernel.start[x] * 3;
        int k0 = x * kernel.size;
        int k1 = k0 + kernel.count[x];
        int r = HALF;
        int g = HALF;
        int b = HALF;
        for (int k = k0; k < k1; k++, index += 3) {
          int w = coefficients[k];
          r += (src[index] & 0xff) * w;
          g += (src[index + 1] & 0xff) * w;
          b += (src[index + 2] & 0xff) * w;
        }
        dst[out] = clip8(r);
        dst[out + 1] = clip8(g);
        dst[out + 2] = clip8(b);
        out += 3;
      }
    }
    return dst;
  }

  /**
   * Output rows {@code top..top+height}; {@code src} holds rows of {@code rowLength} bytes from
   * source row {@code firstRow} on (kernel bounds are in source rows). Each output row is summed
   * over its whole length one source row at a time, a loop over plain arrays that vectorises.
   */
  private static byte[] vertical(
      byte[] src, int rowLength, Kernel kernel, int firstRow, int top, int height) {
    byte[] dst = new byte[rowLength * height];
    int[] sums = new int[rowLength];
    for (int y = 0; y < height; y++) {
      int o = top + y;
      java.util.Arrays.fill(sums, HALF);
      int k0 = o * kernel.size;
      int rowStart = (kernel.start[o] - firstRow) * rowLength;
      for (int k = 0; k < kernel.count[o]; k++) {
        int w = kernel.coefficients[k0 + k];
        int base = rowStart + k * rowLength;
        for (int i = 0; i < rowLength; i++) {
          sums[i] += (src[base + i] & 0xff) * w;
        }
      }
      int out = y * rowLength;
      for (int i = 0; i < rowLength; i++) {
        dst[out + i] = clip8(sums[i]);
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
