package multimodal.modelimport.convert;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import multimodal.modelimport.tfjs.TfDType;
import multimodal.modelimport.tfjs.TfNode;
import multimodal.modelimport.tfjs.TfTensor;
import multimodal.modelimport.tfjs.TfjsModel;

/**
 * State of one model's conversion, shared by the op converters: the values made so far, the
 * constants, and the NHWC/NCHW layout bookkeeping. Layout is handled here once: convolution-like
 * ops ask for NCHW operands, everything else for TensorFlow's own layout, elementwise ops follow
 * their operands, and a transpose is emitted (and cached) only where a value crosses from one
 * layout to the other.
 */
public final class Conversion {

  /**
   * ONNX axis i of an NCHW tensor holds TensorFlow (NHWC) axis TO_NHWC[i]; TF axis k sits at ONNX
   * axis TO_NCHW[k].
   */
  static final int[] TO_NCHW = {0, 2, 3, 1};

  static final int[] NCHW_TO_NHWC_PERM = {0, 2, 3, 1};
  static final int[] NHWC_TO_NCHW_PERM = {0, 3, 1, 2};

  private final TfjsModel model;
  private final OnnxGraph graph;
  private final Map<String, TfNode> nodes = new HashMap<>();
  private final Map<String, Value> values = new HashMap<>();
  private final Map<String, Value> relaid = new HashMap<>();
  private final Map<String, TfTensor> folded = new HashMap<>();

  Conversion(TfjsModel model, OnnxGraph graph) {
    this.model = model;
    this.graph = graph;
    for (TfNode n : model.nodes()) nodes.put(n.name(), n);
  }

  public OnnxGraph graph() {
    return graph;
  }

  TfNode node(String name) {
    TfNode n = nodes.get(name);
    if (n == null)
      throw new IllegalArgumentException("graph refers to missing node '" + name + "'");
    return n;
  }

  void define(TfNode node, Value[] outputs) {
    for (int i = 0; i < outputs.length; i++) values.put(node.name() + ":" + i, outputs[i]);
  }

  /**
   * Evaluates the node now when all its inputs are constants and the op can be folded; afterwards
   * the node counts as a Const for its consumers.
   */
  boolean foldIfConstant(TfNode node) {
    if (node.inputs().isEmpty()) return false;
    List<TfTensor> in = new ArrayList<>();
    for (String ref : node.inputs()) {
      TfTensor t = constantOrNull(ref);
      if (t == null) return false;
      in.add(t);
    }
    TfTensor value = ConstantFolding.fold(node, in);
    if (value != null) folded.put(node.name(), value);
    return value != null;
  }

  boolean isDefined(String nodeName) {
    return values.containsKey(nodeName + ":0");
  }

  static String producer(String input) {
    int colon = input.lastIndexOf(':');
    return colon < 0 ? input : input.substring(0, colon);
  }

  private static String key(String input) {
    return input.lastIndexOf(':') < 0 ? input + ":0" : input;
  }

  /**
   * The value feeding data input {@code i} of {@code node}; a constant becomes an initializer on
   * first use.
   */
  public Value input(TfNode node, int i) {
    return value(input(node, i, "input"), node.name());
  }

  /**
   * The value a tensor reference ("name" or "name:1") names; {@code consumer} is only for the error
   * message.
   */
  Value value(String ref, String consumer) {
    Value v = values.get(key(ref));
    TfTensor t = v == null ? constantOrNull(ref) : null;
    if (t != null) {
      v = new Value(graph.initializer(producer(ref), t), t.dtype(), t.shape(), false);
      values.put(key(ref), v);
    }
    if (v == null)
      throw new IllegalStateException(
          "input '" + ref + "' of node '" + consumer + "' not converted yet");
    return v;
  }

  public int inputCount(TfNode node) {
    return node.inputs().size();
  }

  private static String input(TfNode node, int i, String what) {
    if (i >= node.inputs().size()) {
      throw new UnsupportedOpException(
          node.op(), node.name(), "expected " + what + " " + i + " is missing");
    }
    return node.inputs().get(i);
  }

  public boolean isConstant(TfNode node, int i) {
    return constantOrNull(node.inputs().get(i)) != null;
  }

  /**
   * The constant's values, needed where ONNX wants a tensor TF computes from a Const (axes, shapes,
   * filters).
   */
  public TfTensor constant(TfNode node, int i) {
    TfTensor t = constantOrNull(input(node, i, "constant input"));
    if (t == null) {
      throw new UnsupportedOpException(
          node.op(), node.name(), "input " + i + " must be a constant");
    }
    return t;
  }

  private TfTensor constantOrNull(String ref) {
    TfNode producer = nodes.get(producer(ref));
    if (producer == null) return null;
    if (folded.containsKey(producer.name())) return folded.get(producer.name());
    if (producer.op().equals("Identity") && !producer.inputs().isEmpty())
      return constantOrNull(producer.inputs().get(0));
    if (!producer.op().equals("Const")) return null;
    TfTensor t = model.weights().get(producer.name());
    if (t == null)
      throw new IllegalArgumentException(
          "Const node '" + producer.name() + "' has no weight data in the manifest");
    return t;
  }

  /** The value in TensorFlow's layout. */
  public Value tfLayout(Value v) {
    if (!v.nchw()) return v;
    return relaid.computeIfAbsent(
        v.name() + "@nhwc",
        k ->
            v.renamed(
                graph.op(
                    "Transpose",
                    v.name() + "_nhwc",
                    List.of(v.name()),
                    OnnxGraph.ints("perm", toLong(NCHW_TO_NHWC_PERM))),
                false));
  }

  /** The rank-4 value in NCHW layout. */
  public Value nchwLayout(Value v) {
    if (v.nchw()) return v;
    if (v.rank() != 4)
      throw new IllegalStateException(
          "NCHW needs a rank-4 value, got rank " + v.rank() + " for " + v.name());
    return relaid.computeIfAbsent(
        v.name() + "@nchw",
        k ->
            v.renamed(
                graph.op(
                    "Transpose",
                    v.name() + "_nchw",
                    List.of(v.name()),
                    OnnxGraph.ints("perm", toLong(NHWC_TO_NCHW_PERM))),
                true));
  }

  /**
   * A constant re-laid out for an NCHW elementwise partner: broadcast to rank 4 (trailing-aligned),
   * then transposed.
   */
  private Value constantNchw(TfNode node, int i) {
    TfTensor t = constant(node, i);
    String ref = key(node.inputs().get(i));
    return relaid.computeIfAbsent(
        ref + "@nchw",
        k -> {
          TfTensor r = t.withRank(4);
          return new Value(
              graph.initializer(producer(ref) + "_nchw", r.transpose(NHWC_TO_NCHW_PERM)),
              t.dtype(),
              r.shape(),
              true);
        });
  }

  /**
   * The first {@code count} inputs of an elementwise node in one common layout: NCHW when some
   * operand already is NCHW and every other operand is rank 4, a scalar, or a constant that can be
   * re-laid out; otherwise TF's.
   */
  public List<Value> elementwiseOperands(TfNode node, int count) {
    List<Value> in = new ArrayList<>();
    for (int i = 0; i < count; i++) in.add(input(node, i));
    boolean anyNchw = in.stream().anyMatch(Value::nchw);
    boolean nchwPossible = true;
    for (int i = 0; i < count; i++) {
      Value v = in.get(i);
      boolean ok = isConstant(node, i) ? v.rank() <= 4 : (v.rank() == 4 || v.rank() == 0);
      nchwPossible &= ok;
    }
    List<Value> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Value v = in.get(i);
      if (!(anyNchw && nchwPossible)) out.add(tfLayout(v));
      else if (v.rank() == 0) out.add(v);
      else if (isConstant(node, i)) out.add(constantNchw(node, i));
      else out.add(nchwLayout(v));
    }
    return out;
  }

  /** Whether the aligned operands (and so the result) are NCHW. */
  static boolean anyNchw(List<Value> operands) {
    return operands.stream().anyMatch(Value::nchw);
  }

  /** TensorFlow axis (negative counts from the end) normalised to [0, rank). */
  static int normaliseAxis(TfNode node, long axis, int rank) {
    if (rank < 0) throw new UnsupportedOpException(node.op(), node.name(), "input rank is unknown");
    long a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank)
      throw new UnsupportedOpException(
          node.op(), node.name(), "axis " + axis + " out of range for rank " + rank);
    return (int) a;
  }

  static long[] toLong(int[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }

  static TfDType requireSame(TfNode node, List<Value> operands) {
    TfDType t = operands.get(0).dtype();
    for (Value v : operands) {
      if (v.dtype() != t)
        throw new UnsupportedOpException(
            node.op(), node.name(), "mixed operand types " + t + " and " + v.dtype());
    }
    return t;
  }
}
