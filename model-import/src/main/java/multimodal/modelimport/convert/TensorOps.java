package multimodal.modelimport.convert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import multimodal.modelimport.tfjs.TfDType;
import multimodal.modelimport.tfjs.TfNode;
import multimodal.modelimport.tfjs.TfTensor;

/** Reductions, bilinear resize, top-k, softmax and matrix multiplication. */
final class TensorOps {

  private TensorOps() {}

  static void register(Map<String, OpConverter> ops) {
    ops.put("Mean", (n, c) -> reduce(n, c, "ReduceMean"));
    ops.put("Max", (n, c) -> reduce(n, c, "ReduceMax"));
    ops.put("Min", (n, c) -> reduce(n, c, "ReduceMin"));
    ops.put("ResizeBilinear", TensorOps::resizeBilinear);
    ops.put("TopKV2", TensorOps::topK);
    ops.put("Softmax", TensorOps::softmax);
    ops.put("MatMul", (n, c) -> matMul(n, c, List.of()));
    ops.put("_FusedMatMul", (n, c) -> matMul(n, c, n.stringListAttr("fused_ops")));
  }

  /**
   * A keep_dims reduction of an NCHW value stays NCHW with its axes remapped; otherwise it runs in
   * TF layout.
   */
  private static Value[] reduce(TfNode n, Conversion c, String onnxOp) {
    Value in = c.input(n, 0);
    boolean keepDims = n.boolAttr("keep_dims", false);
    Value x = keepDims && in.nchw() ? in : c.tfLayout(in);
    TfTensor axesT = c.constant(n, 1);
    long[] axes = axesT.longValues();
    boolean[] reduced = new boolean[x.rank()];
    long[] onnxAxes = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      int a = Conversion.normaliseAxis(n, axes[i], x.rank());
      reduced[a] = true;
      onnxAxes[i] = x.nchw() ? Conversion.TO_NCHW[a] : a;
    }
    List<Long> outShape = new ArrayList<>();
    for (int i = 0; i < x.rank(); i++) {
      if (!reduced[i]) outShape.add(x.dim(i));
      else if (keepDims) outShape.add(1L);
    }
    String out =
        c.graph()
            .op(
                onnxOp,
                n.name(),
                List.of(x.name()),
                OnnxGraph.ints("axes", onnxAxes),
                OnnxGraph.attr("keepdims", keepDims ? 1L : 0L));
    return ElementwiseOps.one(
        new Value(
            out, x.dtype(), outShape.stream().mapToLong(Long::longValue).toArray(), x.nchw()));
  }

  /**
   * TF's align_corners / half_pixel_centers map to ONNX's coordinate_transformation_mode; both
   * clamp the source coordinate at the border the same way. Sizes are [N, C, newH, newW]: N and C
   * come from the input's shape at run time when they are not static, which keeps a dynamic batch.
   */
  private static Value[] resizeBilinear(TfNode n, Conversion c) {
    Value x = c.nchwLayout(c.input(n, 0));
    long[] size = c.constant(n, 1).longValues();
    boolean alignCorners = n.boolAttr("align_corners", false),
        halfPixel = n.boolAttr("half_pixel_centers", false);
    if (alignCorners && halfPixel)
      throw new UnsupportedOpException(n.op(), n.name(), "align_corners with half_pixel_centers");
    String mode = alignCorners ? "align_corners" : halfPixel ? "half_pixel" : "asymmetric";
    OnnxGraph g = c.graph();
    String sizes;
    if (x.dim(0) >= 0 && x.dim(3) >= 0) {
      sizes = g.int64s(n.name() + "/sizes", x.dim(0), x.dim(3), size[0], size[1]);
    } else {
      String shape = g.op("Shape", n.name() + "/shape", List.of(x.name()));
      String nc =
          g.op(
              "Slice",
              n.name() + "/nc",
              List.of(
                  shape, g.int64s(n.name() + "/nc_start", 0), g.int64s(n.name() + "/nc_end", 2)));
      sizes =
          g.op(
              "Concat",
              n.name() + "/sizes",
              List.of(nc, g.int64s(n.name() + "/hw", size[0], size[1])),
              OnnxGraph.attr("axis", 0L));
    }
    String out =
        g.op(
            "Resize",
            n.name(),
            List.of(x.name(), "", "", sizes),
            OnnxGraph.attr("mode", "linear"),
            OnnxGraph.attr("coordinate_transformation_mode", mode));
    return ElementwiseOps.one(
        new Value(out, x.dtype(), new long[] {x.dim(0), size[0], size[1], x.dim(3)}, true));
  }

  /**
   * ONNX TopK returns int64 indices; TF's are int32, so they are cast back. Ties keep the lower
   * index in both.
   */
  private static Value[] topK(TfNode n, Conversion c) {
    Value x = c.tfLayout(c.input(n, 0));
    long k = c.constant(n, 1).scalarLong();
    OnnxGraph g = c.graph();
    String values = g.fresh(n.name()), indices64 = g.fresh(n.name() + "/indices64");
    g.ops(
        "TopK",
        List.of(values, indices64),
        List.of(x.name(), g.int64s(n.name() + "/k", k)),
        OnnxGraph.attr("axis", -1L),
        OnnxGraph.attr("largest", 1L),
        OnnxGraph.attr("sorted", n.boolAttr("sorted", true) ? 1L : 0L));
    String indices =
        g.op(
            "Cast",
            n.name() + ":1",
            List.of(indices64),
            OnnxGraph.attr("to", (long) TfDType.INT32.onnxType));
    long[] shape = x.shape() == null ? null : x.shape().clone();
    if (shape != null) shape[shape.length - 1] = k;
    return new Value[] {
      new Value(values, x.dtype(), shape, false), new Value(indices, TfDType.INT32, shape, false)
    };
  }

  private static Value[] softmax(TfNode n, Conversion c) {
    Value x = c.tfLayout(c.input(n, 0));
    return ElementwiseOps.one(
        x.renamed(
            c.graph().op("Softmax", n.name(), List.of(x.name()), OnnxGraph.attr("axis", -1L)),
            false));
  }

  /**
   * Rank-2 products become Gemm (transposes and a fused bias included); fused activations follow.
   */
  private static Value[] matMul(TfNode n, Conversion c, List<String> fused) {
    Value a = c.tfLayout(c.input(n, 0)), b = c.tfLayout(c.input(n, 1));
    boolean ta = n.boolAttr("transpose_a", false), tb = n.boolAttr("transpose_b", false);
    if (a.rank() != 2 || b.rank() != 2)
      throw new UnsupportedOpException(n.op(), n.name(), "only rank-2 operands are supported");
    List<String> inputs = new ArrayList<>(List.of(a.name(), b.name()));
    List<String> activations = new ArrayList<>(fused);
    int arg = 2;
    if (!activations.isEmpty() && activations.get(0).equals("BiasAdd")) {
      inputs.add(c.input(n, arg++).name());
      activations.remove(0);
    }
    String out =
        c.graph()
            .op(
                "Gemm",
                activations.isEmpty() ? n.name() : n.name() + "/gemm",
                inputs,
                OnnxGraph.attr("transA", ta ? 1L : 0L),
                OnnxGraph.attr("transB", tb ? 1L : 0L));
    Value y = new Value(out, a.dtype(), new long[] {a.dim(ta ? 1 : 0), b.dim(tb ? 0 : 1)}, false);
    for (String act : activations)
      y = ElementwiseOps.activate(c, y, act, n, act.equals("Prelu") ? c.input(n, arg++) : null);
    return ElementwiseOps.one(y);
  }
}
