package multimodal.modelimport.tfjs;

import java.util.Arrays;

/**
 * A constant tensor (a graph weight) held in Java: float data for FLOAT, long data for the integer
 * and boolean types. The importer needs the values themselves to re-lay filters out for ONNX and to
 * read shapes and axes.
 */
public record TfTensor(TfDType dtype, long[] shape, float[] floats, long[] longs) {

  public static TfTensor ofFloats(long[] shape, float[] data) {
    return new TfTensor(TfDType.FLOAT, shape, data, null);
  }

  public static TfTensor ofLongs(TfDType dtype, long[] shape, long[] data) {
    return new TfTensor(dtype, shape, null, data);
  }

  public int rank() {
    return shape.length;
  }

  public int size() {
    return Math.toIntExact(numElements(shape));
  }

  public static long numElements(long[] shape) {
    long n = 1;
    for (long d : shape) n *= d;
    return n;
  }

  /** Values as longs (integer tensors: shapes, axes, begin/end indices). */
  public long[] longValues() {
    if (longs == null) throw new IllegalStateException("expected an integer tensor, got " + dtype);
    return longs;
  }

  public long scalarLong() {
    long[] v = longValues();
    if (v.length != 1)
      throw new IllegalStateException("expected one value, got " + Arrays.toString(shape));
    return v[0];
  }

  public TfTensor reshape(long... newShape) {
    if (numElements(newShape) != size()) {
      throw new IllegalArgumentException(
          "cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
    }
    return new TfTensor(dtype, newShape, floats, longs);
  }

  /**
   * Shape padded with leading 1s to the given rank (numpy broadcasting aligns trailing dimensions).
   */
  public TfTensor withRank(int rank) {
    if (rank() >= rank) return this;
    long[] s = new long[rank];
    Arrays.fill(s, 1);
    System.arraycopy(shape, 0, s, rank - rank(), rank());
    return reshape(s);
  }

  /** A copy with the axes permuted: result dimension i is this tensor's dimension perm[i]. */
  public TfTensor transpose(int... perm) {
    int rank = rank();
    long[] outShape = new long[rank];
    for (int i = 0; i < rank; i++) outShape[i] = shape[perm[i]];
    long[] inStrides = strides(shape);
    int n = size();
    float[] f = floats == null ? null : new float[n];
    long[] l = longs == null ? null : new long[n];
    int[] idx = new int[rank];
    for (int out = 0; out < n; out++) {
      long src = 0;
      for (int i = 0; i < rank; i++) src += idx[i] * inStrides[perm[i]];
      if (f != null) f[out] = floats[(int) src];
      else l[out] = longs[(int) src];
      for (int i = rank - 1; i >= 0; i--) {
        if (++idx[i] < outShape[i]) break;
        idx[i] = 0;
      }
    }
    return new TfTensor(dtype, outShape, f, l);
  }

  private static long[] strides(long[] shape) {
    long[] s = new long[shape.length];
    long acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= shape[i];
    }
    return s;
  }
}
