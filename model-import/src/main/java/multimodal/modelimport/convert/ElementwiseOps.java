package multimodal.modelimport.convert;

import java.util.List;
import java.util.Map;
import multimodal.modelimport.tfjs.TfDType;
import multimodal.modelimport.tfjs.TfNode;

/**
 * Elementwise arithmetic, comparisons, activations and casts; they keep whatever layout their
 * operands share.
 */
final class ElementwiseOps {

  private static final Map<String, String> BINARY =
      Map.ofEntries(
          Map.entry("Add", "Add"),
          Map.entry("AddV2", "Add"),
          Map.entry("BiasAdd", "Add"),
          Map.entry("Sub", "Sub"),
          Map.entry("Mul", "Mul"),
          Map.entry("RealDiv", "Div"),
          Map.entry("Maximum", "Max"),
          Map.entry("Minimum", "Min"),
          Map.entry("Pow", "Pow"),
          Map.entry("Equal", "Equal"),
          Map.entry("Greater", "Greater"),
          Map.entry("GreaterEqual", "GreaterOrEqual"),
          Map.entry("Less", "Less"),
          Map.entry("LessEqual", "LessOrEqual"),
          Map.entry("LogicalAnd", "And"),
          Map.entry("LogicalOr", "Or"));

  private static final Map<String, String> UNARY =
      Map.ofEntries(
          Map.entry("Relu", "Relu"),
          Map.entry("Sigmoid", "Sigmoid"),
          Map.entry("Tanh", "Tanh"),
          Map.entry("Exp", "Exp"),
          Map.entry("Log", "Log"),
          Map.entry("Sqrt", "Sqrt"),
          Map.entry("Neg", "Neg"),
          Map.entry("Abs", "Abs"),
          Map.entry("Floor", "Floor"),
          Map.entry("Ceil", "Ceil"),
          Map.entry("Round", "Round"),
          Map.entry("Elu", "Elu"),
          Map.entry("Reciprocal", "Reciprocal"),
          Map.entry("LogicalNot", "Not"));

  private ElementwiseOps() {}

  static void register(Map<String, OpConverter> ops) {
    BINARY.forEach((tf, onnx) -> ops.put(tf, (n, c) -> binary(n, c, onnx)));
    UNARY.forEach((tf, onnx) -> ops.put(tf, (n, c) -> unary(n, c, onnx)));
    ops.put("AddN", ElementwiseOps::addN);
    ops.put("Relu6", (n, c) -> one(activate(c, c.input(n, 0), "Relu6", n, null)));
    ops.put("LeakyRelu", (n, c) -> one(activate(c, c.input(n, 0), "LeakyRelu", n, null)));
    ops.put("Prelu", (n, c) -> one(activate(c, c.input(n, 0), "Prelu", n, c.input(n, 1))));
    ops.put(
        "Rsqrt",
        (n, c) -> {
          Value x = c.input(n, 0);
          String sqrt = c.graph().op("Sqrt", n.name() + "_sqrt", List.of(x.name()));
          return one(x.renamed(c.graph().op("Reciprocal", n.name(), List.of(sqrt)), x.nchw()));
        });
    ops.put(
        "Square",
        (n, c) -> {
          Value x = c.input(n, 0);
          return one(
              x.renamed(c.graph().op("Mul", n.name(), List.of(x.name(), x.name())), x.nchw()));
        });
    ops.put("Cast", ElementwiseOps::cast);
    ops.put("FloorDiv", ElementwiseOps::floorDiv);
    ops.put("FloorMod", ElementwiseOps::floorMod);
  }

  static Value[] one(Value v) {
    return new Value[] {v};
  }

  private static Value[] binary(TfNode n, Conversion c, String onnxOp) {
    List<Value> in = c.elementwiseOperands(n, 2);
    TfDType type = Conversion.requireSame(n, in);
    if (onnxOp.equals("Div") && !type.isFloat()) {
      throw new UnsupportedOpException(
          n.op(), n.name(), "integer division rounds differently in ONNX");
    }
    boolean comparison =
        switch (onnxOp) {
          case "Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual", "And", "Or" -> true;
          default -> false;
        };
    String out = c.graph().op(onnxOp, n.name(), List.of(in.get(0).name(), in.get(1).name()));
    return one(
        new Value(
            out, comparison ? TfDType.BOOL : type, Shapes.broadcast(in), Conversion.anyNchw(in)));
  }

  private static Value[] addN(TfNode n, Conversion c) {
    List<Value> in = c.elementwiseOperands(n, c.inputCount(n));
    String out = c.graph().op("Sum", n.name(), in.stream().map(Value::name).toList());
    return one(
        new Value(
            out, Conversion.requireSame(n, in), Shapes.broadcast(in), Conversion.anyNchw(in)));
  }

  private static Value[] unary(TfNode n, Conversion c, String onnxOp) {
    Value x = c.input(n, 0);
    if (onnxOp.equals("Elu")) {
      return one(
          x.renamed(
              c.graph().op("Elu", n.name(), List.of(x.name()), OnnxGraph.attr("alpha", 1f)),
              x.nchw()));
    }
    return one(x.renamed(c.graph().op(onnxOp, n.name(), List.of(x.name())), x.nchw()));
  }

  /**
   * Applies a TensorFlow activation (standalone or from a fused op's list) to {@code x}, in x's
   * layout. Prelu's alpha broadcasts over TF's last axis, so for an NCHW x it is reshaped to
   * [C,1,1].
   */
  static Value activate(Conversion c, Value x, String activation, TfNode n, Value alpha) {
    OnnxGraph g = c.graph();
    String hint = n.name() + "/" + activation;
    String out =
        switch (activation) {
          case "Relu" -> g.op("Relu", hint, List.of(x.name()));
          case "Relu6" ->
              g.op(
                  "Clip",
                  hint,
                  List.of(
                      x.name(),
                      g.scalar(hint + "/min", x.dtype(), 0),
                      g.scalar(hint + "/max", x.dtype(), 6)));
          case "Elu" -> g.op("Elu", hint, List.of(x.name()), OnnxGraph.attr("alpha", 1f));
          case "Sigmoid" -> g.op("Sigmoid", hint, List.of(x.name()));
          case "Tanh" -> g.op("Tanh", hint, List.of(x.name()));
          case "LeakyRelu" ->
              g.op(
                  "LeakyRelu",
                  hint,
                  List.of(x.name()),
                  OnnxGraph.attr(
                      "alpha",
                      n.floatAttr(n.op().equals("LeakyRelu") ? "alpha" : "leakyrelu_alpha", 0.2f)));
          case "Prelu" -> {
            Value a = c.tfLayout(alpha);
            String slope = a.name();
            if (x.nchw() && a.rank() == 1) {
              slope =
                  g.op(
                      "Reshape",
                      hint + "/alpha",
                      List.of(a.name(), g.int64s(hint + "/alpha_shape", -1, 1, 1)));
            } else if (x.nchw() || (a.rank() != 1 && a.rank() != 0)) {
              throw new UnsupportedOpException(
                  n.op(), n.name(), "Prelu alpha of rank " + a.rank() + " is not supported");
            }
            yield g.op("PRelu", hint, List.of(x.name(), slope));
          }
          default ->
              throw new UnsupportedOpException(
                  n.op(), n.name(), "fused activation " + activation + " is not supported");
        };
    return x.renamed(out, x.nchw());
  }

  private static Value[] cast(TfNode n, Conversion c) {
    Value x = c.input(n, 0);
    TfDType to = n.typeAttr("DstT");
    String out =
        c.graph().op("Cast", n.name(), List.of(x.name()), OnnxGraph.attr("to", (long) to.onnxType));
    return one(new Value(out, to, x.shape(), x.nchw()));
  }

  /**
   * Emits the ONNX nodes of a floor operation on two aligned operands and returns the result's
   * name.
   */
  @FunctionalInterface
  private interface FloorOp {
    String emit(OnnxGraph g, String name, String a, String b, boolean isFloat);
  }

  private static Value[] floorOp(TfNode n, Conversion c, FloorOp op) {
    List<Value> in = c.elementwiseOperands(n, 2);
    TfDType type = Conversion.requireSame(n, in);
    String out = op.emit(c.graph(), n.name(), in.get(0).name(), in.get(1).name(), type.isFloat());
    return one(new Value(out, type, Shapes.broadcast(in), Conversion.anyNchw(in)));
  }

  /**
   * TF FloorDiv rounds toward negative infinity. ONNX integer Div truncates, so for integers a
   * floordiv b = (a - floormod(a, b)) / b, which divides exactly; for floats it is Floor(a / b).
   */
  private static Value[] floorDiv(TfNode n, Conversion c) {
    return floorOp(
        n,
        c,
        (g, name, a, b, isFloat) -> {
          if (isFloat)
            return g.op("Floor", name, List.of(g.op("Div", name + "/div", List.of(a, b))));
          String mod = g.op("Mod", name + "/mod", List.of(a, b), OnnxGraph.attr("fmod", 0L));
          return g.op("Div", name, List.of(g.op("Sub", name + "/sub", List.of(a, mod)), b));
        });
  }

  /**
   * TF FloorMod takes the divisor's sign: ONNX Mod with fmod=0 for integers, a - floor(a/b)*b for
   * floats.
   */
  private static Value[] floorMod(TfNode n, Conversion c) {
    return floorOp(
        n,
        c,
        (g, name, a, b, isFloat) -> {
          if (!isFloat) return g.op("Mod", name, List.of(a, b), OnnxGraph.attr("fmod", 0L));
          String q =
              g.op("Floor", name + "/floor", List.of(g.op("Div", name + "/div", List.of(a, b))));
          return g.op("Sub", name, List.of(a, g.op("Mul", name + "/mul", List.of(q, b))));
        });
  }
}
