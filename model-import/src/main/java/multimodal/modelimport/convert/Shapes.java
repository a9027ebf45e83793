package multimodal.modelimport.convert;

import java.util.List;

/**
 * Static shape arithmetic in TensorFlow's logical order; -1 marks a dimension known only at run
 * time.
 */
final class Shapes {

  private Shapes() {}

  /** Numpy broadcasting of the operands' shapes; null when a rank is unknown. */
  static long[] broadcast(List<Value> operands) {
    int rank = 0;
    for (Value v : operands) {
      if (v.shape() == null) return null;
      rank = Math.max(rank, v.rank());
    }
    long[] out = new long[rank];
    java.util.Arrays.fill(out, 1);
    for (Value v : operands) {
      long[] s = v.shape();
      for (int i = 0; i < s.length; i++) {
        int o = rank - s.length + i;
        if (s[i] == -1) out[o] = out[o] == 1 ? -1 : out[o];
        else if (s[i] != 1) out[o] = s[i];
      }
    }
    return out;
  }

  static long numElements(long[] shape) {
    if (shape == null) return -1;
    long n = 1;
    for (long d : shape) {
      if (d < 0) return -1;
      n *= d;
    }
    return n;
  }

  static long ceilDiv(long a, long b) {
    return a < 0 ? -1 : (a + b - 1) / b;
  }
}
