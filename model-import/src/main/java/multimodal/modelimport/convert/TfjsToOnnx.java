package multimodal.modelimport.convert;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import multimodal.modelimport.tfjs.TfNode;
import multimodal.modelimport.tfjs.TfjsModel;
import multimodal.onnx.ModelProto;
import multimodal.onnx.OperatorSetIdProto;

/**
 * Converts a TF.js graph model to an ONNX model. Graph inputs and outputs keep TensorFlow's names
 * and layouts (an NHWC image input stays NHWC), so a caller feeds the ONNX model exactly what TF.js
 * gets.
 */
public final class TfjsToOnnx {

  public static final int OPSET = 17;
  private static final long IR_VERSION = 8;
  private static final Map<String, OpConverter> OPS = registry();

  private TfjsToOnnx() {}

  private static Map<String, OpConverter> registry() {
    Map<String, OpConverter> ops = new HashMap<>();
    ElementwiseOps.register(ops);
    ConvolutionOps.register(ops);
    ShapeOps.register(ops);
    TensorOps.register(ops);
    return Map.copyOf(ops);
  }

  public static boolean supports(String op) {
    return OPS.containsKey(op) || op.equals("Placeholder") || op.equals("Const");
  }

  public static ModelProto convert(TfjsModel model, String graphName) {
    OnnxGraph graph = new OnnxGraph(graphName);
    model.inputs().forEach(graph::reserve);
    model.outputs().forEach(graph::reserve);
    Conversion c = new Conversion(model, graph);

    for (String name : model.inputs()) {
      TfNode placeholder = c.node(name);
      var dtype = placeholder.typeAttr("dtype");
      long[] shape = placeholder.shapeAttr();
      graph.input(name, dtype, shape);
      c.define(placeholder, new Value[] {new Value(name, dtype, shape, false)});
    }
    for (TfNode n : executionOrder(c, model.outputs())) {
      if (c.isDefined(n.name()) || n.op().equals("Const") || c.foldIfConstant(n)) continue;
      OpConverter op = OPS.get(n.op());
      if (op == null) {
        throw new UnsupportedOpException(
            n.op(),
            n.name(),
            n.op().equals("Placeholder")
                ? "input is not in the model signature"
                : "no ONNX mapping for this op");
      }
      c.define(n, op.convert(n, c));
    }
    for (String name : model.outputs()) {
      Value v = c.tfLayout(c.value(name, "graph output"));
      graph.ops("Identity", List.of(name), List.of(v.name()));
      graph.output(name, v.dtype(), v.shape());
    }
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("multimodal model-import")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph.build())
        .build();
  }

  /** Nodes the outputs depend on, producers before consumers (TF.js files need not be sorted). */
  private static List<TfNode> executionOrder(Conversion c, List<String> outputs) {
    List<TfNode> order = new java.util.ArrayList<>();
    Set<String> done = new HashSet<>();
    Deque<Object[]> stack = new ArrayDeque<>();
    for (String out : outputs) stack.push(new Object[] {c.node(out), 0});
    Set<String> onStack = new HashSet<>();
    while (!stack.isEmpty()) {
      Object[] frame = stack.peek();
      TfNode n = (TfNode) frame[0];
      int next = (int) frame[1];
      if (done.contains(n.name())) {
        stack.pop();
        continue;
      }
      onStack.add(n.name());
      if (next < n.inputs().size()) {
        frame[1] = next + 1;
        TfNode in = c.node(Conversion.producer(n.inputs().get(next)));
        if (!done.contains(in.name())) {
          if (onStack.contains(in.name()))
            throw new IllegalArgumentException("graph has a cycle through " + in.name());
          stack.push(new Object[] {in, 0});
        }
      } else {
        stack.pop();
        onStack.remove(n.name());
        done.add(n.name());
        order.add(n);
      }
    }
    return order;
  }
}
