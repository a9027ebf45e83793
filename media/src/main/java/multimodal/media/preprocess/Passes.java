package multimodal.media.preprocess;

/**
 * The two passes of the separable resize, on interleaved 8-bit rows of 1 or 3 channels. Any
 * implementation gives the same bytes: integer sums are exact whatever their order, so {@link
 * VectorPasses} is bit-exact with {@link ScalarPasses} and with Pillow.
 */
interface Passes {
  /**
   * Output columns {@code left..left+width} of source rows {@code firstRow..lastRow}: {@code
   * (lastRow - firstRow)} rows of {@code width * channels} bytes.
   */
  byte[] horizontal(
      byte[] src,
      int srcWidth,
      int channels,
      Kernel kernel,
      int left,
      int width,
      int firstRow,
      int lastRow);

  /**
   * Output rows {@code top..top+height}; {@code src} holds rows of {@code rowLength} bytes from
   * source row {@code firstRow} on (kernel bounds are in source rows).
   */
  byte[] vertical(byte[] src, int rowLength, Kernel kernel, int firstRow, int top, int height);

  /**
   * The fastest passes this JVM can run: the Vector API's where the JVM was started with {@code
   * --add-modules jdk.incubator.vector} (and its vectors are wide enough to pay), else the scalar
   * ones. {@link VectorPasses} is only loaded in the first case.
   */
  static Passes best() {
    return VectorSupport.AVAILABLE ? VectorSupport.create() : new ScalarPasses();
  }
}
