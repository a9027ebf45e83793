package multimodal.encoder.inference;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import multimodal.onnx.AttributeProto;
import multimodal.onnx.GraphProto;
import multimodal.onnx.ModelProto;
import multimodal.onnx.NodeProto;
import multimodal.onnx.OperatorSetIdProto;
import multimodal.onnx.TensorProto;
import multimodal.onnx.ValueInfoProto;

/**
 * Rewrites an ONNX model so that every float {@code MatMul} (and plain {@code Gemm}) whose weight
 * is a constant 2-D initializer runs in int8, the way onnxruntime.quantization's dynamic mode does:
 *
 * <pre>
 *   A ─ DynamicQuantizeLinear ─ A_q, A_scale, A_zp
 *   MatMulInteger(A_q, W_q, A_zp) ─ Cast(float) ─ Mul(·, Mul(A_scale, W_scale)) [─ Add(C) for Gemm]
 * </pre>
 *
 * The weights are quantised once, here, symmetrically per output column to int8 in [-127, 127]
 * (zero point 0, so {@code MatMulInteger} needs no weight zero point); the activations are
 * quantised per tensor to uint8 at run time. ONNX Runtime's graph optimiser (level {@code extended}
 * or {@code all}) fuses each of these chains into one {@code DynamicQuantizeMatMul}, its fast int8
 * kernel. Hand-written because the quantiser ONNX Runtime ships is Python only.
 *
 * <p>Left in float: MatMuls of two activations (attention scores), weights that are graph inputs
 * (overridable), stored outside the file (external data) or not rank 2, subgraph nodes, and {@code
 * Gemm} with {@code transA}, {@code alpha != 1} or {@code beta != 1}.
 */
public final class Int8MatMulQuantizer {
  private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
  private static final int INT8 = TensorProto.DataType.INT8_VALUE;
  private static final String SUFFIX = "_int8";

  /** {@code DynamicQuantizeLinear} (the newest of the three ops) needs opset 11. */
  static final long MIN_OPSET = 11;

  /** What a rewrite did. */
  public record Result(ModelProto model, int quantized, int keptFloat) {}

  private Int8MatMulQuantizer() {}

  /**
   * @throws IllegalArgumentException when the model's default-domain opset is below {@value
   *     #MIN_OPSET}
   */
  public static Result quantize(ModelProto model) {
    long opset =
        model.getOpsetImportList().stream()
            .filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
            .mapToLong(OperatorSetIdProto::getVersion)
            .max()
            .orElse(0);
    if (opset < MIN_OPSET) {
      throw new IllegalArgumentException(
          "int8 quantisation needs ONNX opset " + MIN_OPSET + " or newer; the model has " + opset);
    }
    GraphProto graph = model.getGraph();
    Map<String, TensorProto> initializers = new HashMap<>();
    graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
    Set<String> graphInputs = new HashSet<>();
    graph.getInputList().stream().map(ValueInfoProto::getName).forEach(graphInputs::add);

    Map<String, Integer> floatUses = new HashMap<>(); // uses of each initializer left in float
    Map<String, TensorProto> quantizedWeights = new HashMap<>(); // one int8 copy per weight
    List<NodeProto> nodes = new ArrayList<>();
    List<TensorProto> added = new ArrayList<>();
    int quantized = 0;
    int keptFloat = 0;
    for (NodeProto node : graph.getNodeList()) {
      TensorProto weight = quantizableWeight(node, initializers, graphInputs);
      if (weight == null) {
        node.getInputList().forEach(in -> floatUses.merge(in, 1, Integer::sum));
        if (isMatMulOrGemm(node)) {
          keptFloat++;
        }
        nodes.add(node);
        continue;
      }
      boolean transposed = node.getOpType().equals("Gemm") && intAttribute(node, "transB", 0) == 1;
      String key = weight.getName() + (transposed ? "^T" : "");
      TensorProto weightQ = quantizedWeights.get(key);
      if (weightQ == null) {
        ColumnQuantized q = ColumnQuantized.of(weight, transposed);
        weightQ = q.weights(weight.getName() + (transposed ? "_t" : "") + SUFFIX);
        quantizedWeights.put(key, weightQ);
        added.add(weightQ);
        added.add(q.scales(weightQ.getName() + "_scale"));
      }
      if (node.getOpType().equals("Gemm") && node.getInputCount() > 2) {
        floatUses.merge(node.getInput(2), 1, Integer::sum); // the bias stays float
      }
      nodes.addAll(rewrite(node, weightQ.getName(), quantized));
      quantized++;
    }
    GraphProto.Builder rewritten = graph.toBuilder().clearNode().addAllNode(nodes);
    rewritten.clearInitializer();
    for (TensorProto tensor : graph.getInitializerList()) {
      // A weight now used only in int8 is dropped; one still read elsewhere stays.
      if (floatUses.containsKey(tensor.getName()) || graphInputs.contains(tensor.getName())) {
        rewritten.addInitializer(tensor);
      } else if (!quantizedWeights.containsKey(tensor.getName())
          && !quantizedWeights.containsKey(tensor.getName() + "^T")) {
        rewritten.addInitializer(tensor); // unused by any node: not ours to drop
      }
    }
    rewritten.addAllInitializer(added);
    return new Result(model.toBuilder().setGraph(rewritten).build(), quantized, keptFloat);
  }

  private static boolean isMatMulOrGemm(NodeProto node) {
    return node.getDomain().isEmpty()
        && (node.getOpType().equals("MatMul") || node.getOpType().equals("Gemm"));
  }

  /** The constant float weight of a node this class rewrites, else null. */
  private static TensorProto quantizableWeight(
      NodeProto node, Map<String, TensorProto> initializers, Set<String> graphInputs) {
    if (!isMatMulOrGemm(node) || node.getInputCount() < 2 || node.getOutputCount() != 1) {
      return null;
    }
    if (node.getOpType().equals("Gemm")
        && (intAttribute(node, "transA", 0) != 0
            || floatAttribute(node, "alpha", 1f) != 1f
            || floatAttribute(node, "beta", 1f) != 1f)) {
      return null;
    }
    String name = node.getInput(1);
    TensorProto weight = initializers.get(name);
    if (weight == null
        || graphInputs.contains(name)
        || weight.getDataType() != FLOAT
        || weight.getDimsCount() != 2
        || weight.getDataLocation() == TensorProto.DataLocation.EXTERNAL
        || initializers.containsKey(node.getInput(0))) {
      return null;
    }
    return weight;
  }

  /** The int8 chain standing for {@code node}; its last node writes the node's output. */
  private static List<NodeProto> rewrite(NodeProto node, String weightQ, int index) {
    String p = (node.getName().isEmpty() ? node.getOpType() + "_" + index : node.getName()) + "/q";
    String out = node.getOutput(0);
    String a = node.getInput(0);
    List<NodeProto> chain = new ArrayList<>();
    chain.add(
        node(
            "DynamicQuantizeLinear",
            p + "/quantize_input",
            List.of(a),
            List.of(p + "/a_q", p + "/a_scale", p + "/a_zero")));
    chain.add(
        node(
            "MatMulInteger",
            p + "/matmul",
            List.of(p + "/a_q", weightQ, p + "/a_zero"),
            List.of(p + "/int32")));
    chain.add(
        node("Cast", p + "/to_float", List.of(p + "/int32"), List.of(p + "/float")).toBuilder()
            .addAttribute(
                AttributeProto.newBuilder()
                    .setName("to")
                    .setType(AttributeProto.AttributeType.INT)
                    .setI(FLOAT))
            .build());
    chain.add(
        node(
            "Mul",
            p + "/scale",
            List.of(p + "/a_scale", weightQ + "_scale"),
            List.of(p + "/scale_product")));
    boolean bias = node.getOpType().equals("Gemm") && node.getInputCount() > 2;
    String scaled = bias ? p + "/scaled" : out;
    chain.add(
        node("Mul", p + "/rescale", List.of(p + "/float", p + "/scale_product"), List.of(scaled)));
    if (bias) {
      chain.add(node("Add", p + "/bias", List.of(scaled, node.getInput(2)), List.of(out)));
    }
    return chain;
  }

  private static NodeProto node(String op, String name, List<String> in, List<String> out) {
    return NodeProto.newBuilder()
        .setOpType(op)
        .setName(name)
        .addAllInput(in)
        .addAllOutput(out)
        .build();
  }

  private static long intAttribute(NodeProto node, String name, long fallback) {
    return attribute(node, name).map(AttributeProto::getI).orElse(fallback);
  }

  private static float floatAttribute(NodeProto node, String name, float fallback) {
    return attribute(node, name).map(AttributeProto::getF).orElse(fallback);
  }

  private static Optional<AttributeProto> attribute(NodeProto node, String name) {
    return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst();
  }

  /** A [K, N] weight as int8 with one scale per output column n: w ≈ q · scale[n]. */
  record ColumnQuantized(int rows, int columns, byte[] values, float[] scale) {

    /**
     * @param transposed the tensor is stored [N, K] ({@code Gemm} with {@code transB=1})
     */
    static ColumnQuantized of(TensorProto weight, boolean transposed) {
      float[] w = floats(weight);
      int d0 = Math.toIntExact(weight.getDims(0));
      int d1 = Math.toIntExact(weight.getDims(1));
      int rows = transposed ? d1 : d0;
      int columns = transposed ? d0 : d1;
      float[] max = new float[columns];
      for (int k = 0; k < rows; k++) {
        for (int n = 0; n < columns; n++) {
          max[n] = Math.max(max[n], Math.abs(w[transposed ? n * rows + k : k * columns + n]));
        }
      }
      float[] scale = new float[columns];
      for (int n = 0; n < columns; n++) {
        scale[n] = max[n] > 0 ? max[n] / 127f : 1f; // an all-zero column: any scale is exact
      }
      byte[] q = new byte[rows * columns];
      for (int k = 0; k < rows; k++) {
        for (int n = 0; n < columns; n++) {
          float v = w[transposed ? n * rows + k : k * columns + n] / scale[n];
          // Half to even, as numpy (and so onnxruntime.quantization) rounds.
          q[k * columns + n] = (byte) Math.max(-127, Math.min(127, Math.rint(v)));
        }
      }
      return new ColumnQuantized(rows, columns, q, scale);
    }

    TensorProto weights(String name) {
      return TensorProto.newBuilder()
          .setName(name)
          .setDataType(INT8)
          .addDims(rows)
          .addDims(columns)
          .setRawData(ByteString.copyFrom(values))
          .build();
    }

    TensorProto scales(String name) {
      ByteBuffer raw = ByteBuffer.allocate(columns * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      raw.asFloatBuffer().put(scale);
      return TensorProto.newBuilder()
          .setName(name)
          .setDataType(FLOAT)
          .addDims(columns)
          .setRawData(ByteString.copyFrom(raw))
          .build();
    }
  }

  /** A float tensor's values, from {@code raw_data} (little-endian) or {@code float_data}. */
  static float[] floats(TensorProto tensor) {
    if (!tensor.getRawData().isEmpty()) {
      FloatBuffer raw =
          tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      float[] values = new float[raw.remaining()];
      raw.get(values);
      return values;
    }
    float[] values = new float[tensor.getFloatDataCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = tensor.getFloatData(i);
    }
    return values;
  }
}
