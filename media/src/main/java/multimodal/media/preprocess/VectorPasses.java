package multimodal.media.preprocess;

import static multimodal.media.preprocess.Kernel.HALF;
import static multimodal.media.preprocess.Kernel.PRECISION_BITS;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The passes with the Vector API (Pillow-SIMD's idea, with Pillow's own arithmetic): 8-bit samples
 * widened to 32-bit ints, multiplied by the same 22-bit fixed-point coefficients and summed in
 * 32-bit lanes, so every sum is the scalar one (integer addition is exact in any order).
 *
 * <ul>
 *   <li>Horizontal: one output pixel at a time, its taps' interleaved bytes loaded a vector at a
 *       time; each load takes a whole number of pixels ({@code LANES - LANES % channels} bytes), so
 *       a lane always holds the same channel, and the coefficients are laid out once per kernel to
 *       match (zeros past the taps). The vector's pixels are then added into the first one's lanes
 *       ({@link #pixelSum}); a grey pixel is the sum of all lanes.
 *   <li>Vertical: a vector of output bytes at a time, accumulated over the taps in a register.
 * </ul>
 *
 * Loads never read past the source array: a pixel whose last load would is done by {@link
 * ScalarPasses}, as is the tail of a row shorter than a vector.
 */
final class VectorPasses implements Passes {
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
  static final int LANES = INTS.length();

  /** Rotations of the lanes by one, two and four RGB pixels (3, 6, 12 lanes). */
  private static final VectorShuffle<Integer> ONE_PIXEL = VectorShuffle.iota(INTS, 3, 1, true);

  private static final VectorShuffle<Integer> TWO_PIXELS = VectorShuffle.iota(INTS, 6, 1, true);
  private static final VectorShuffle<Integer> FOUR_PIXELS = VectorShuffle.iota(INTS, 12, 1, true);

  private static final VectorSpecies<Byte> BYTES =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(LANES * Byte.SIZE));

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
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("1 or 3 channels, not " + channels);
    }
    Layout layout = new Layout(kernel, channels, left, width);
    byte[] dst = new byte[(lastRow - firstRow) * width * channels];
    int out = 0;
    for (int y = firstRow; y < lastRow; y++) {
      int rowBase = y * srcWidth;
      for (int j = 0; j < width; j++, out += channels) {
        int x = left + j;
        int index = (rowBase + kernel.start()[x]) * channels;
        int loads = layout.loads[j];
        if (index + (loads - 1) * layout.step + LANES > src.length) {
          ScalarPasses.horizontalPixel(src, index, channels, kernel, x, dst, out);
          continue;
        }
        IntVector sum = IntVector.zero(INTS);
        for (int l = 0, c = j * layout.stride; l < loads; l++, index += layout.step, c += LANES) {
          sum = sum.add(widen(src, index).mul(IntVector.fromArray(INTS, layout.coefficients, c)));
        }
        if (channels == 1) {
          dst[out] = Kernel.clip8(HALF + sum.reduceLanes(VectorOperators.ADD));
        } else {
          IntVector pixel = pixelSum(sum);
          dst[out] = Kernel.clip8(HALF + pixel.lane(0));
          dst[out + 1] = Kernel.clip8(HALF + pixel.lane(1));
          dst[out + 2] = Kernel.clip8(HALF + pixel.lane(2));
        }
      }
    }
    return dst;
  }

  @Override
  public byte[] vertical(
      byte[] src, int rowLength, Kernel kernel, int firstRow, int top, int height) {
    byte[] dst = new byte[rowLength * height];
    IntVector half = IntVector.broadcast(INTS, HALF);
    int vectorEnd = rowLength - rowLength % LANES;
    for (int y = 0; y < height; y++) {
      int o = top + y;
      int k0 = o * kernel.size();
      int taps = kernel.count()[o];
      int rowStart = (kernel.start()[o] - firstRow) * rowLength;
      int out = y * rowLength;
      for (int i = 0; i < vectorEnd; i += LANES) {
        IntVector sum = half;
        for (int k = 0, at = rowStart + i; k < taps; k++, at += rowLength) {
          sum = sum.add(widen(src, at).mul(kernel.coefficients()[k0 + k]));
        }
        sum.lanewise(VectorOperators.ASHR, PRECISION_BITS)
            .max(0)
            .min(255)
            .convertShape(VectorOperators.I2B, BYTES, 0)
            .reinterpretAsBytes()
            .intoArray(dst, out + i);
      }
      ScalarPasses.verticalSpan(
          src, rowLength, kernel, firstRow, o, dst, out, vectorEnd, rowLength);
    }
    return dst;
  }

  /**
   * The sum of the RGB pixels a vector of 8 or 16 lanes holds (2 or 5 whole pixels), in lanes 0, 1
   * and 2: the vector plus itself rotated by whole pixels, so that each lane only ever adds its own
   * channel. Measured faster than three masked sums of lanes; the other lanes hold partial sums
   * that are not read. The rotations are constants, which the JIT turns into one permute each.
   */
  private static IntVector pixelSum(IntVector sum) {
    IntVector pairs = sum.add(sum.rearrange(ONE_PIXEL)); // pixels 0+1 in pixel 0's lanes
    if (LANES == 8) {
      return pairs;
    }
    return pairs.add(pairs.rearrange(TWO_PIXELS)).add(sum.rearrange(FOUR_PIXELS)); // 0+1+2+3, +4
  }

  /** {@code LANES} bytes from {@code index}, as unsigned ints. */
  private static IntVector widen(byte[] src, int index) {
    return ((IntVector)
            ByteVector.fromArray(BYTES, src, index).convertShape(VectorOperators.B2I, INTS, 0))
        .and(0xff);
  }

  /** The horizontal kernel of the window's columns laid out for whole-pixel loads. */
  private static final class Layout {
    /** Bytes per load: whole pixels. */
    final int step;

    /** Coefficient lanes per output pixel. */
    final int stride;

    final int[] loads;
    final int[] coefficients;

    Layout(Kernel kernel, int channels, int left, int width) {
      step = LANES - LANES % channels;
      int maxLoads = (kernel.size() * channels + step - 1) / step;
      stride = maxLoads * LANES;
      loads = new int[width];
      coefficients = new int[width * stride];
      for (int j = 0; j < width; j++) {
        int x = left + j;
        int bytes = kernel.count()[x] * channels;
        loads[j] = (bytes + step - 1) / step;
        for (int b = 0; b < bytes; b++) {
          int w = kernel.coefficients()[x * kernel.size() + b / channels];
          coefficients[j * stride + (b / step) * LANES + b % step] = w;
        }
      }
    }
  }
}
