package multimodal.media.preprocess;

/**
 * The coefficients of one axis of a resize: Pillow's {@code precompute_coeffs} followed by {@code
 * normalize_coeffs_8bpc}. Output position {@code o} reads {@code count[o]} source positions from
 * {@code start[o]} with the fixed-point weights {@code coefficients[o * size + k]}.
 *
 * <p>The filter (support 1 bilinear, 2 bicubic) is stretched by the scale factor when shrinking;
 * each output's weights are normalised to sum 1 in double, then converted to fixed point with 22
 * fractional bits (Pillow's {@code PRECISION_BITS = 32 - 8 - 2}), rounded half away from zero.
 */
record Kernel(int size, int[] start, int[] count, int[] coefficients) {
  static final int PRECISION_BITS = 32 - 8 - 2;

  /** Where every sum starts: one half, so that the shift back rounds half up. */
  static final int HALF = 1 << (PRECISION_BITS - 1);

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

  /**
   * A sum back to 8 bits: Pillow's {@code clip8}, an arithmetic shift (floor, as in C), clamped.
   */
  static byte clip8(int sum) {
    int v = sum >> PRECISION_BITS;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }
}
