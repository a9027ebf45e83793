package multimodal.media.preprocess;

import multimodal.media.RgbImage;

/**
 * Pillow's resize ({@code Image.resize(size, resample)}) with its bilinear and bicubic filters,
 * bit-exact for 8-bit images: a port of {@code src/libImaging/Resample.c} (docs/models.md §2.2).
 * Written by hand because no maintained Java library reproduces Pillow's antialiasing filter, and
 * the platform's vision models were trained on Pillow's output; Java2D's scaling does not antialias
 * on downscale and uses other kernels.
 *
 * <p>Separable, in Pillow's order: a horizontal pass into an 8-bit intermediate, then a vertical
 * pass, with the coefficients of {@link Kernel}; the passes themselves are {@link Passes} (Vector
 * API or scalar, the same bytes). Each output pixel depends only on its own kernel, so {@link
 * #resizeCentre} computes just the window a centre crop keeps (Pillow resizes the whole image, then
 * crops): the same values, with a third less work for a 3:2 photograph.
 */
public final class PillowResize {
  /** The Vector API's passes where the JVM has it ({@link Passes#best()}), else the scalar ones. */
  private static final Passes PASSES = Passes.best();

  private PillowResize() {}

  /** The image at {@code outWidth × outHeight}; the same image when the size does not change. */
  public static RgbImage resize(RgbImage in, int outWidth, int outHeight, ResampleFilter filter) {
    checkSize(outWidth, outHeight);
    if (in.width() == outWidth && in.height() == outHeight) {
      return in;
    }
    return window(in, outWidth, outHeight, filter, 0, 0, outWidth, outHeight, PASSES);
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
        height,
        PASSES);
  }

  private static void checkSize(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
    }
  }

  /**
   * Columns {@code left..left+width} and rows {@code top..top+height} of the resized image, through
   * the given passes (tests run both).
   */
  static RgbImage window(
      RgbImage in,
      int outWidth,
      int outHeight,
      ResampleFilter filter,
      int left,
      int top,
      int width,
      int height,
      Passes passes) {
    // A grey image (three equal channels: grey JPEGs and PNGs, after conversion) is resized as one
    // channel and copied back to three: each channel's sums are the same function of its values.
    int channels = isGrey(in.rgb()) ? 1 : 3;
    byte[] src = channels == 3 ? in.rgb() : firstChannel(in.rgb());
    boolean needHorizontal = in.width() != outWidth;
    boolean needVertical = in.height() != outHeight;
    Kernel vertical = needVertical ? Kernel.of(in.height(), outHeight, filter) : null;
    // Like Pillow, the horizontal pass covers only the source rows the vertical pass reads.
    int firstRow = needVertical ? vertical.start()[top] : top;
    int lastRow =
        needVertical
            ? vertical.start()[top + height - 1] + vertical.count()[top + height - 1]
            : top + height;
    byte[] rows =
        needHorizontal
            ? passes.horizontal(
                src,
                in.width(),
                channels,
                Kernel.of(in.width(), outWidth, filter),
                left,
                width,
                firstRow,
                lastRow)
            : columns(src, in.width(), channels, left, width, firstRow, lastRow);
    byte[] out =
        needVertical
            ? passes.vertical(rows, width * channels, vertical, firstRow, top, height)
            : rows;
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
}
