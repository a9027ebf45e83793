package multimodal.modelimport.convert;

import java.util.List;
import multimodal.modelimport.tfjs.TfDType;
import multimodal.modelimport.tfjs.TfNode;
import multimodal.modelimport.tfjs.TfTensor;

/**
 * Evaluates, at import time, the few integer ops that graphs exported through onnx-tf use to
 * compute shapes from constants (NanoDet builds its Reshape targets with SparseToDense + AddV2), so
 * those shapes stay constants and the ops that need them (Reshape, Split, ...) can be converted.
 * Anything else returns null and is converted.
 */
final class ConstantFolding {

  private ConstantFolding() {}

  static TfTensor fold(TfNode n, List<TfTensor> in) {
    return switch (n.op()) {
      case "SparseToDense" -> sparseToDense(in);
      case "Add", "AddV2" -> integerBinary(in, Long::sum);
      case "Sub" -> integerBinary(in, (a, b) -> a - b);
      case "Mul" -> integerBinary(in, (a, b) -> a * b);
      case "Cast" -> {
        TfDType to = n.typeAttr("DstT");
        yield in.get(0).longs() != null && !to.isFloat()
            ? TfTensor.ofLongs(to, in.get(0).shape(), in.get(0).longs())
            : null;
      }
      default -> null;
    };
  }

  /**
   * Integer operands of equal shape, or one a single value (a scalar broadcast); other cases are
   * not folded.
   */
  private static TfTensor integerBinary(
      List<TfTensor> in, java.util.function.LongBinaryOperator f) {
    TfTensor a = in.get(0), b = in.get(1);
    if (a.longs() == null || b.longs() == null || a.dtype() != b.dtype()) return null;
    TfTensor shapeOf = a.size() >= b.size() ? a : b;
    if (a.size() != b.size() && Math.min(a.size(), b.size()) != 1) return null;
    long[] out = new long[shapeOf.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.applyAsLong(a.longs()[a.size() == 1 ? 0 : i], b.longs()[b.size() == 1 ? 0 : i]);
    }
    return TfTensor.ofLongs(a.dtype(), shapeOf.shape(), out);
  }

  /**
   * SparseToDense(indices [k, r] or [k], output_shape [r], values [k] or scalar, default scalar).
   */
  private static TfTensor sparseToDense(List<TfTensor> in) {
    TfTensor indices = in.get(0), values = in.get(2), fallback = in.get(3);
    long[] shape = in.get(1).longValues();
    if (values.longs() == null) return null;
    int n = Math.toIntExact(TfTensor.numElements(shape));
    long[] out = new long[n];
    java.util.Arrays.fill(out, fallback.longValues()[0]);
    int rank = shape.length;
    int k = indices.rank() == 0 ? 1 : (int) indices.shape()[0];
    for (int i = 0; i < k; i++) {
      long flat = 0;
      for (int d = 0; d < rank; d++) flat = flat * shape[d] + indices.longValues()[i * rank + d];
      out[(int) flat] = values.size() == 1 ? values.longValues()[0] : values.longValues()[i];
    }
    return TfTensor.ofLongs(values.dtype(), shape, out);
  }
}
