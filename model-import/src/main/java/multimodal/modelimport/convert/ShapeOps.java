package multimodal.modelimport.convert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import multimodal.modelimport.tfjs.TfDType;
import multimodal.modelimport.tfjs.TfNode;
import multimodal.modelimport.tfjs.TfTensor;

/**
 * Ops that move data between axes: they work in TensorFlow's layout, except ConcatV2 and Transpose
 * (see there).
 */
final class ShapeOps {

  private ShapeOps() {}

  static void register(Map<String, OpConverter> ops) {
    ops.put("Identity", (n, c) -> ElementwiseOps.one(c.input(n, 0)));
    ops.put("Reshape", ShapeOps::reshape);
    ops.put("Squeeze", ShapeOps::squeeze);
    ops.put("ExpandDims", ShapeOps::expandDims);
    ops.put("ConcatV2", ShapeOps::concat);
    ops.put("Transpose", ShapeOps::transpose);
    ops.put("Pad", ShapeOps::pad);
    ops.put("PadV2", ShapeOps::pad);
    ops.put("SplitV", ShapeOps::splitV);
    ops.put("GatherV2", ShapeOps::gather);
    ops.put("StridedSlice", StridedSliceOp::convert);
  }

  private static Value[] reshape(TfNode n, Conversion c) {
    Value x = c.tfLayout(c.input(n, 0));
    long[] shape = c.constant(n, 1).longValues().clone();
    long known = Shapes.numElements(x.shape());
    int unknownAt = -1;
    long product = 1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] == -1) unknownAt = i;
      else product *= shape[i];
    }
    long[] outShape = shape.clone();
    if (unknownAt >= 0) outShape[unknownAt] = known >= 0 && product > 0 ? known / product : -1;
    boolean zeroDim = Arrays.stream(shape).anyMatch(d -> d == 0);
    OnnxGraph g = c.graph();
    // TF's 0 means an empty dimension; ONNX's means "copy" unless allowzero is set.
    String out =
        g.op(
            "Reshape",
            n.name(),
            List.of(x.name(), g.int64s(n.name() + "/shape", shape)),
            OnnxGraph.attr("allowzero", zeroDim ? 1L : 0L));
    return ElementwiseOps.one(new Value(out, x.dtype(), outShape, false));
  }

  private static Value[] squeeze(TfNode n, Conversion c) {
    Value x = c.tfLayout(c.input(n, 0));
    long[] dims = n.intListAttr("squeeze_dims");
    if (dims.length == 0) {
      if (x.shape() == null || Arrays.stream(x.shape()).anyMatch(d -> d < 0)) {
        throw new UnsupportedOpException(
            n.op(), n.name(), "squeezing all size-1 axes needs a static shape");
      }
      dims =
          java.util.stream.IntStream.range(0, x.rank())
              .filter(i -> x.shape()[i] == 1)
              .asLongStream()
              .toArray();
    }
    boolean[] drop = new boolean[x.rank()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = Conversion.normaliseAxis(n, dims[i], x.rank());
      drop[(int) dims[i]] = true;
    }
    List<Long> outShape = new ArrayList<>();
    for (int i = 0; i < x.rank(); i++) if (!drop[i]) outShape.add(x.shape()[i]);
    OnnxGraph g = c.graph();
    String out = g.op("Squeeze", n.name(), List.of(x.name(), g.int64s(n.name() + "/axes", dims)));
    return ElementwiseOps.one(
        new Value(out, x.dtype(), outShape.stream().mapToLong(Long::longValue).toArray(), false));
  }

  private static Value[] expandDims(TfNode n, Conversion c) {
    Value x = c.tfLayout(c.input(n, 0));
    int axis = Conversion.normaliseAxis(n, c.constant(n, 1).scalarLong(), x.rank() + 1);
    long[] outShape = new long[x.rank() + 1];
    for (int i = 0, j = 0; i < outShape.length; i++) outShape[i] = i == axis ? 1 : x.shape()[j++];
    OnnxGraph g = c.graph();
    String out = g.op("Unsqueeze", n.name(), List.of(x.name(), g.int64s(n.name() + "/axes", axis)));
    return ElementwiseOps.one(new Value(out, x.dtype(), outShape, false));
  }

  /**
   * Concatenates in NCHW when an operand already is NCHW and all are rank 4 (feature-map concat),
   * else in TF layout.
   */
  private static Value[] concat(TfNode n, Conversion c) {
    int count = c.inputCount(n) - 1;
    List<Value> in = new ArrayList<>();
    for (int i = 0; i < count; i++) in.add(c.input(n, i));
    int axis = Conversion.normaliseAxis(n, c.constant(n, count).scalarLong(), in.get(0).rank());
    boolean nchw = in.stream().anyMatch(Value::nchw) && in.stream().allMatch(v -> v.rank() == 4);
    List<String> names = new ArrayList<>();
    long[] outShape = in.get(0).shape().clone();
    outShape[axis] = 0;
    for (Value v : in) {
      names.add((nchw ? c.nchwLayout(v) : c.tfLayout(v)).name());
      outShape[axis] = outShape[axis] < 0 || v.dim(axis) < 0 ? -1 : outShape[axis] + v.dim(axis);
    }
    String out =
        c.graph()
            .op(
                "Concat",
                n.name(),
                names,
                OnnxGraph.attr("axis", (long) (nchw ? Conversion.TO_NCHW[axis] : axis)));
    return ElementwiseOps.one(new Value(out, Conversion.requireSame(n, in), outShape, nchw));
  }

  /**
   * An NCHW input folds its own NCHW->NHWC permutation into this one, so no extra transpose is
   * needed.
   */
  private static Value[] transpose(TfNode n, Conversion c) {
    Value x = c.input(n, 0);
    long[] perm = c.constant(n, 1).longValues();
    long[] onnxPerm = perm.clone();
    long[] outShape = new long[perm.length];
    for (int j = 0; j < perm.length; j++) {
      outShape[j] = x.dim((int) perm[j]);
      if (x.nchw()) onnxPerm[j] = Conversion.TO_NCHW[(int) perm[j]];
    }
    String out =
        c.graph().op("Transpose", n.name(), List.of(x.name()), OnnxGraph.ints("perm", onnxPerm));
    return ElementwiseOps.one(new Value(out, x.dtype(), outShape, false));
  }

  private static Value[] pad(TfNode n, Conversion c) {
    Value x = c.tfLayout(c.input(n, 0));
    TfTensor paddings = c.constant(n, 1);
    int rank = (int) paddings.shape()[0];
    long[] p = paddings.longValues();
    long[] pads = new long[2 * rank];
    long[] outShape = new long[rank];
    for (int i = 0; i < rank; i++) {
      pads[i] = p[2 * i];
      pads[rank + i] = p[2 * i + 1];
      outShape[i] = x.dim(i) < 0 ? -1 : x.dim(i) + p[2 * i] + p[2 * i + 1];
    }
    OnnxGraph g = c.graph();
    List<String> inputs = new ArrayList<>(List.of(x.name(), g.int64s(n.name() + "/pads", pads)));
    if (n.op().equals("PadV2")) inputs.add(c.input(n, 2).name());
    String out = g.op("Pad", n.name(), inputs, OnnxGraph.attr("mode", "constant"));
    return ElementwiseOps.one(new Value(out, x.dtype(), outShape, false));
  }

  private static Value[] splitV(TfNode n, Conversion c) {
    Value x = c.tfLayout(c.input(n, 0));
    long[] sizes = c.constant(n, 1).longValues().clone();
    int axis = Conversion.normaliseAxis(n, c.constant(n, 2).scalarLong(), x.rank());
    long rest = x.dim(axis);
    int unknownAt = -1;
    for (int i = 0; i < sizes.length; i++) {
      if (sizes[i] == -1) unknownAt = i;
      else rest -= sizes[i];
    }
    if (unknownAt >= 0) {
      if (x.dim(axis) < 0)
        throw new UnsupportedOpException(
            n.op(), n.name(), "a -1 split size needs a static axis length");
      sizes[unknownAt] = rest;
    }
    OnnxGraph g = c.graph();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) names.add(g.fresh(n.name() + (i == 0 ? "" : ":" + i)));
    g.ops(
        "Split",
        names,
        List.of(x.name(), g.int64s(n.name() + "/split", sizes)),
        OnnxGraph.attr("axis", (long) axis));
    Value[] out = new Value[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      long[] s = x.shape().clone();
      s[axis] = sizes[i];
      out[i] = new Value(names.get(i), x.dtype(), s, false);
    }
    return out;
  }

  private static Value[] gather(TfNode n, Conversion c) {
    if (n.intAttr("batch_dims", 0) != 0) {
      throw new UnsupportedOpException(
          n.op(), n.name(), "batch_dims " + n.intAttr("batch_dims", 0) + " is not supported");
    }
    Value params = c.tfLayout(c.input(n, 0));
    Value indices = c.tfLayout(c.input(n, 1));
    if (indices.dtype() != TfDType.INT32 && indices.dtype() != TfDType.INT64) {
      throw new UnsupportedOpException(n.op(), n.name(), "indices must be integers");
    }
    int axis = Conversion.normaliseAxis(n, c.constant(n, 2).scalarLong(), params.rank());
    long[] outShape = null;
    if (indices.shape() != null) {
      outShape = new long[params.rank() - 1 + indices.rank()];
      int k = 0;
      for (int i = 0; i < axis; i++) outShape[k++] = params.dim(i);
      for (long d : indices.shape()) outShape[k++] = d;
      for (int i = axis + 1; i < params.rank(); i++) outShape[k++] = params.dim(i);
    }
    String out =
        c.graph()
            .op(
                "Gather",
                n.name(),
                List.of(params.name(), indices.name()),
                OnnxGraph.attr("axis", (long) axis));
    return ElementwiseOps.one(new Value(out, params.dtype(), outShape, false));
  }
}
