package multimodal.generator.inference.vision;

/**
 * {@code tf.image.resizeBilinear} exactly as TensorFlow.js's CPU kernel computes it, into an NHWC
 * float buffer.
 *
 * <p>Hand-written because no Java library reproduces it: Java2D, imgscalr and Pillow-style
 * resamplers (the encoder's) use pixel centres and antialiasing filters, while TF's default maps
 * output pixel {@code i} to source {@code i * in / out} (no half-pixel centres; with {@code
 * alignCorners} to {@code i * (in - 1) / (out - 1)}) and blends the two neighbours without
 * filtering. The arithmetic follows the kernel term for term in doubles over float32 inputs, stored
 * as float32, so the model sees the same values as under TF.js.
 */
public final class TfBilinearResize {
  private TfBilinearResize() {}

  /**
   * Resizes {@code image} to {@code outHeight x outWidth}, mapping each 0..255 channel value
   * through {@code values} first (TF.js applies a per-pixel scaling before the resize, e.g. /255:
   * the table holds those float32 results), and writes {@code [outHeight, outWidth, 3]} floats at
   * {@code offset}.
   */
  public static void resize(
      RgbPixels image,
      int outHeight,
      int outWidth,
      boolean alignCorners,
      float[] values,
      float[] out,
      int offset) {
    int inHeight = image.height();
    int inWidth = image.width();
    double rowRatio = ratio(inHeight, outHeight, alignCorners);
    double colRatio = ratio(inWidth, outWidth, alignCorners);
    int[] colFloor = new int[outWidth];
    int[] colCeil = new int[outWidth];
    double[] colFrac = new double[outWidth];
    for (int c = 0; c < outWidth; c++) {
      double source = colRatio * c;
      colFloor[c] = Math.max(0, (int) Math.floor(source));
      colFrac[c] = source - colFloor[c];
      colCeil[c] = Math.min(inWidth - 1, (int) Math.ceil(source));
    }
    int index = offset;
    for (int r = 0; r < outHeight; r++) {
      double source = rowRatio * r;
      int top = Math.max(0, (int) Math.floor(source));
      double rowFrac = source - top;
      int bottom = Math.min(inHeight - 1, (int) Math.ceil(source));
      for (int c = 0; c < outWidth; c++) {
        for (int d = 0; d < 3; d++) {
          double topLeft = values[image.channel(top, colFloor[c], d)];
          double topRight = values[image.channel(top, colCeil[c], d)];
          double bottomLeft = values[image.channel(bottom, colFloor[c], d)];
          double bottomRight = values[image.channel(bottom, colCeil[c], d)];
          double upper = topLeft + (topRight - topLeft) * colFrac[c];
          double lower = bottomLeft + (bottomRight - bottomLeft) * colFrac[c];
          out[index++] = (float) (upper + (lower - upper) * rowFrac);
        }
      }
    }
  }

  /** Copies the image unresized (what nsfwjs does when it already has the model's size). */
  public static void copy(RgbPixels image, float[] values, float[] out, int offset) {
    int index = offset;
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        for (int d = 0; d < 3; d++) {
          out[index++] = values[image.channel(y, x, d)];
        }
      }
    }
  }

  private static double ratio(int in, int out, boolean alignCorners) {
    return alignCorners && out > 1 ? (double) (in - 1) / (out - 1) : (double) in / out;
  }

  /** 0..255 as float32: the values of an RGB tensor cast to float. */
  public static float[] identityValues() {
    float[] values = new float[256];
    for (int i = 0; i < 256; i++) {
      values[i] = i;
    }
    return values;
  }

  /** {@code value / 255} computed as TF.js's CPU {@code div} does (double, stored as float32). */
  public static float[] unitValues() {
    float[] values = new float[256];
    for (int i = 0; i < 256; i++) {
      values[i] = (float) (i / 255.0);
    }
    return values;
  }
}
