package multimodal.devkit.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import multimodal.onnx.AttributeProto;
import multimodal.onnx.GraphProto;
import multimodal.onnx.ModelProto;
import multimodal.onnx.NodeProto;
import multimodal.onnx.OperatorSetIdProto;
import multimodal.onnx.TensorProto;
import multimodal.onnx.TensorShapeProto;
import multimodal.onnx.TypeProto;
import multimodal.onnx.ValueInfoProto;

/**
 * Builds one ONNX {@code ModelProto} (IR 8, default-domain opset 17) and serialises it.
 *
 * <p>A short-hand over the classes generated from {@code onnx.proto} (module onnx-format) for what
 * the fixtures need: nodes with int/float/ints/tensor attributes and subgraph attributes ({@code
 * If} branches: a writer used as a subgraph declares only outputs and reads outer-scope names),
 * float and int64 initializers (little-endian {@code raw_data}), and tensor inputs/outputs with
 * numeric or symbolic dims. Nodes are named {@code <optype>_<index>}.
 */
public final class OnnxModelWriter {
  public static final int IR_VERSION = 8;
  public static final int OPSET = 17;

  /** ONNX {@code TensorProto.DataType} values used here. */
  public static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;

  public static final int INT64 = TensorProto.DataType.INT64_VALUE;

  private final GraphProto.Builder graph;

  public OnnxModelWriter(String graphName) {
    this.graph = GraphProto.newBuilder().setName(graphName);
  }

  /**
   * Declares a graph input.
   *
   * @param dims each a {@link Number} (fixed size) or a {@link String} (symbolic dimension name)
   */
  public OnnxModelWriter input(String name, int elemType, Object... dims) {
    graph.addInput(valueInfo(name, elemType, dims));
    return this;
  }

  /** Declares a graph output; dims as in {@link #input}. */
  public OnnxModelWriter output(String name, int elemType, Object... dims) {
    graph.addOutput(valueInfo(name, elemType, dims));
    return this;
  }

  /** Adds a node of the default ONNX domain; nodes must be added in topological order. */
  public OnnxModelWriter node(
      String opType, List<String> nodeInputs, List<String> nodeOutputs, Attribute... attributes) {
    NodeProto.Builder node =
        NodeProto.newBuilder()
            .addAllInput(nodeInputs)
            .addAllOutput(nodeOutputs)
            .setName(opType.toLowerCase() + "_" + graph.getNodeCount())
            .setOpType(opType);
    for (Attribute attribute : attributes) {
      node.addAttribute(attribute.proto());
    }
    graph.addNode(node);
    return this;
  }

  public OnnxModelWriter floatInitializer(String name, long[] dims, float[] values) {
    graph.addInitializer(floatTensor(name, dims, values));
    return this;
  }

  public OnnxModelWriter longInitializer(String name, long[] dims, long[] values) {
    graph.addInitializer(longTensor(name, dims, values));
    return this;
  }

  /** The {@code GraphProto} alone (a subgraph: see {@link Attribute#graph}). */
  public GraphProto graph() {
    return graph.build();
  }

  /** The serialised {@code GraphProto} alone. */
  public byte[] graphBytes() {
    return graph().toByteArray();
  }

  /** The {@code ModelProto}. */
  public ModelProto model() {
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("multimodal-devkit")
        .setGraph(graph)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .build();
  }

  /** The serialised {@code ModelProto}. */
  public byte[] toByteArray() {
    return model().toByteArray();
  }

  private static TensorProto floatTensor(String name, long[] dims, float[] values) {
    ByteBuffer raw = rawData(name, dims, values.length, Float.BYTES);
    for (float value : values) {
      raw.putFloat(value);
    }
    return tensor(name, FLOAT, dims, raw);
  }

  private static TensorProto longTensor(String name, long[] dims, long[] values) {
    ByteBuffer raw = rawData(name, dims, values.length, Long.BYTES);
    for (long value : values) {
      raw.putLong(value);
    }
    return tensor(name, INT64, dims, raw);
  }

  /** A little-endian buffer for {@code count} values, checked against the dims. */
  private static ByteBuffer rawData(String name, long[] dims, int count, int bytesPerValue) {
    long expected = 1;
    for (long dim : dims) {
      expected *= dim;
    }
    if (expected != count) {
      throw new IllegalArgumentException(
          "initializer " + name + ": " + count + " values for " + expected + " elements");
    }
    return ByteBuffer.allocate(count * bytesPerValue).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static TensorProto tensor(String name, int dataType, long[] dims, ByteBuffer raw) {
    TensorProto.Builder tensor = TensorProto.newBuilder();
    for (long dim : dims) {
      tensor.addDims(dim);
    }
    return tensor
        .setDataType(dataType)
        .setName(name)
        .setRawData(ByteString.copyFrom(raw.flip()))
        .build();
  }

  private static ValueInfoProto valueInfo(String name, int elemType, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object dim : dims) {
      if (dim instanceof Number number) {
        shape.addDimBuilder().setDimValue(number.longValue());
      } else if (dim instanceof String symbol) {
        shape.addDimBuilder().setDimParam(symbol);
      } else {
        throw new IllegalArgumentException("dim must be a Number or a String: " + dim);
      }
    }
    TypeProto.Tensor tensorType =
        TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape).build();
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(tensorType))
        .build();
  }

  /** A node attribute. */
  public record Attribute(AttributeProto proto) {
    public static Attribute of(String name, long value) {
      return new Attribute(attribute(name, AttributeProto.AttributeType.INT).setI(value).build());
    }

    public static Attribute of(String name, float value) {
      return new Attribute(attribute(name, AttributeProto.AttributeType.FLOAT).setF(value).build());
    }

    public static Attribute ints(String name, long... values) {
      AttributeProto.Builder attribute = attribute(name, AttributeProto.AttributeType.INTS);
      for (long value : values) {
        attribute.addInts(value);
      }
      return new Attribute(attribute.build());
    }

    /** An int64 tensor attribute ({@code Constant}'s {@code value}). */
    public static Attribute longTensor(String name, long[] dims, long... values) {
      TensorProto value = OnnxModelWriter.longTensor("", dims, values);
      return new Attribute(
          attribute(name, AttributeProto.AttributeType.TENSOR).setT(value).build());
    }

    /** A float tensor attribute ({@code Constant}'s {@code value}). */
    public static Attribute floatTensor(String name, long[] dims, float... values) {
      TensorProto value = OnnxModelWriter.floatTensor("", dims, values);
      return new Attribute(
          attribute(name, AttributeProto.AttributeType.TENSOR).setT(value).build());
    }

    /**
     * A subgraph ({@code If}'s {@code then_branch}/{@code else_branch}): {@code body} declares its
     * outputs (no inputs) and may read any name of the enclosing graphs.
     */
    public static Attribute graph(String name, OnnxModelWriter body) {
      return new Attribute(
          attribute(name, AttributeProto.AttributeType.GRAPH).setG(body.graph()).build());
    }

    private static AttributeProto.Builder attribute(
        String name, AttributeProto.AttributeType type) {
      return AttributeProto.newBuilder().setName(name).setType(type);
    }
  }
}
