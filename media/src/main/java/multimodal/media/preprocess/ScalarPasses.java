package multimodal.media.preprocess;

import static multimodal.media.preprocess.Kernel.HALF;
import static multimodal.media.preprocess.Kernel.clip8;

/**
 * The passes one sum at a time, as Pillow's {@code Resample.c} writes them: the reference the
 * vector passes are tested against, and the path of a JVM without the Vector API.
 */
final class ScalarPasses implements Passes {
  @Override
  public byte[] horizontal(
      byte[] src,
      int srcWidth,
      int channels,
      Kernel kernel,
      int left,
      int width,
      int firstRow,
      int lastRow) {
    byte[] dst = new byte[(lastRow - firstRow) * width * channels];
    int out = 0;
    for (int y = firstRow; y < lastRow; y++) {
      int rowBase = y * srcWidth;
      for (int x = left; x < left + width; x++, out += channels) {
        horizontalPixel(
            src, (rowBase + kernel.start()[x]) * channels, channels, kernel, x, dst, out);
      }
    }
    return dst;
  }

  /** One output pixel of the horizontal pass, its source pixels from {@code index} on. */
  static void horizontalPixel(
      byte[] src, int index, int channels, Kernel kernel, int x, byte[] dst, int out) {
    int[] coefficients = kernel.coefficients();
    int k0 = x * kernel.size();
    int k1 = k0 + kernel.count()[x];
    for (int c = 0; c < channels; c++) {
      int v = HALF;
      for (int k = k0, i = index + c; k < k1; k++, i += channels) {
        v += (src[i] & 0xff) * coefficients[k];
      }
      dst[out + c] = clip8(v);
    }
  }

  /** Each output row is summed over its whole length one source row at a time. */
  @Override
  public byte[] vertical(
      byte[] src, int rowLength, Kernel kernel, int firstRow, int top, int height) {
    byte[] dst = new byte[rowLength * height];
    int[] sums = new int[rowLength];
    for (int y = 0; y < height; y++) {
      int o = top + y;
      java.util.Arrays.fill(sums, HALF);
      int k0 = o * kernel.size();
      int rowStart = (kernel.start()[o] - firstRow) * rowLength;
      for (int k = 0; k < kernel.count()[o]; k++) {
        int w = kernel.coefficients()[k0 + k];
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

  /** Columns {@code from..to} of one vertical output row, for the tail a vector does not fill. */
  static void verticalSpan(
      byte[] src,
      int rowLength,
      Kernel kernel,
      int firstRow,
      int o,
      byte[] dst,
      int out,
      int from,
      int to) {
    int k0 = o * kernel.size();
    int rowStart = (kernel.start()[o] - firstRow) * rowLength;
    for (int i = from; i < to; i++) {
      int v = HALF;
      for (int k = 0; k < kernel.count()[o]; k++) {
        v += (src[rowStart + k * rowLength + i] & 0xff) * kernel.coefficients()[k0 + k];
      }
      dst[out + i] = clip8(v);
    }
  }
}
