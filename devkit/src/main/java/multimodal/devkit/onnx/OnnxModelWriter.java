package multimodal.devkit.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one ONNX {@code ModelProto} (IR 8, default-domain opset 17) and serialises it.
 *
 * <p>Hand-written on purpose: there is no maintained Java ONNX graph builder on Maven Central, and
 * compiling {@code onnx.proto} would add a code-generation step for a handful of messages. A
 * {@code ModelProto} is plain protobuf, so protobuf-java's {@link CodedOutputStream} with the
 * field numbers of {@code onnx/onnx.proto} (listed in docs/models.md §7.7) is all it takes.
 * Only what the fixtures need is supported: nodes with int/float/ints/tensor attributes and
 * subgraph attributes ({@code If} branches: a writer used as a subgraph declares only outputs and
 * reads outer-scope names), float and int64 initializers (little-endian {@code raw_data}), and
 * tensor inputs/outputs with numeric or symbolic dims.
 */
public final class OnnxModelWriter {
  public static final int IR_VERSION = 8;
  public static final int OPSET = 17;

  /** ONNX {@code TensorProto.DataType} values used here. */
  public static final int FLOAT = 1;

  public static final int INT64 = 7;

  private final String graphName;
  private final List<byte[]> nodes = new ArrayList<>();
  private final List<byte[]> initializers = new ArrayList<>();
  private final List<byte[]> inputs = new ArrayList<>();
  private final List<byte[]> outputs = new ArrayList<>();

  public OnnxModelWriter(String graphName) {
    this.graphName = graphName;
  }

  /**
   * Declares a graph input.
   *
   * @param dims each a {@link Number} (fixed size) or a {@link String} (symbolic dimension name)
   */
  public OnnxModelWriter input(String name, int elemType, Object... dims) {
    inputs.add(valueInfo(name, elemType, dims));
    return this;
  }

  /** Declares a graph output; dims as in {@link #input}. */
  public OnnxModelWriter output(String name, int elemType, Object... dims) {
    outputs.add(valueInfo(name, elemType, dims));
    return this;
  }

  /** Adds a node of the default ONNX domain; nodes must be added in topological order. */
  public OnnxModelWriter node(
      String opType, List<String> nodeInputs, List<String> nodeOutputs, Attribute... attributes) {
    Proto node = new Proto();
    nodeInputs.forEach(name -> node.string(1, name));
    nodeOutputs.forEach(name -> node.string(2, name));
    node.string(3, opType.toLowerCase() + "_" + nodes.size());
    node.string(4, opType);
    for (Attribute attribute : attributes) {
      node.message(5, attribute.encode());
    }
    nodes.add(node.toByteArray());
    return this;
  }

  public OnnxModelWriter floatInitializer(String name, long[] dims, float[] values) {
    initializers.add(floatTensor(name, dims, values));
    return this;
  }

  public OnnxModelWriter longInitializer(String name, long[] dims, long[] values) {
    initializers.add(longTensor(name, dims, values));
    return this;
  }

  /** The serialised {@code GraphProto} alone (a subgraph: see {@link Attribute#graph}). */
  public byte[] graphBytes() {
    Proto graph = new Proto();
    nodes.forEach(node -> graph.message(1, node));
    graph.string(2, graphName);
    initializers.forEach(tensor -> graph.message(5, tensor));
    inputs.forEach(input -> graph.message(11, input));
    outputs.forEach(output -> graph.message(12, output));
    return graph.toByteArray();
  }

  /** The serialised {@code ModelProto}. */
  public byte[] toByteArray() {
    Proto opset = new Proto().string(1, "").varint(2, OPSET);
    return new Proto()
        .varint(1, IR_VERSION)
        .string(2, "multimodal-devkit")
        .message(7, graphBytes())
        .message(8, opset.toByteArray())
        .toByteArray();
  }

  private static byte[] floatTensor(String name, long[] dims, float[] values) {
    ByteBuffer raw = rawData(name, dims, values.length, Float.BYTES);
    for (float value : values) {
      raw.putFloat(value);
    }
    return tensor(name, FLOAT, dims, raw.array());
  }

  private static byte[] longTensor(String name, long[] dims, long[] values) {
    ByteBuffer raw = rawData(name, dims, values.length, Long.BYTES);
    for (long value : values) {
      raw.putLong(value);
    }
    return tensor(name, INT64, dims, raw.array());
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

  private static byte[] tensor(String name, int dataType, long[] dims, byte[] raw) {
    Proto tensor = new Proto();
    for (long dim : dims) {
      tensor.varint(1, dim); // repeated int64 dims is not packed in onnx.proto (proto2)
    }
    return tensor.varint(2, dataType).string(8, name).bytes(9, raw).toByteArray();
  }

  private static byte[] valueInfo(String name, int elemType, Object... dims) {
    Proto shape = new Proto();
    for (Object dim : dims) {
      Proto dimension = new Proto();
      if (dim instanceof Number number) {
        dimension.varint(1, number.longValue());
      } else if (dim instanceof String symbol) {
        dimension.string(2, symbol);
      } else {
        throw new IllegalArgumentException("dim must be a Number or a String: " + dim);
      }
      shape.message(1, dimension.toByteArray());
    }
    Proto tensorType = new Proto().varint(1, elemType).message(2, shape.toByteArray());
    Proto type = new Proto().message(1, tensorType.toByteArray());
    return new Proto().string(1, name).message(2, type.toByteArray()).toByteArray();
  }

  /**
   * A node attribute (AttributeProto).
   *
   * @param message the encoded TensorProto ({@code t}) or GraphProto ({@code g}); null otherwise
   */
  public record Attribute(String name, int type, long i, float f, long[] ints, byte[] message) {
    private static final int TYPE_FLOAT = 1;
    private static final int TYPE_INT = 2;
    private static final int TYPE_TENSOR = 4;
    private static final int TYPE_GRAPH = 5;
    private static final int TYPE_INTS = 7;

    public static Attribute of(String name, long value) {
      return new Attribute(name, TYPE_INT, value, 0f, null, null);
    }

    public static Attribute of(String name, float value) {
      return new Attribute(name, TYPE_FLOAT, 0, value, null, null);
    }

    public static Attribute ints(String name, long... values) {
      return new Attribute(name, TYPE_INTS, 0, 0f, values.clone(), null);
    }

    /** An int64 tensor attribute ({@code Constant}'s {@code value}). */
    public static Attribute longTensor(String name, long[] dims, long... values) {
      return new Attribute(name, TYPE_TENSOR, 0, 0f, null, OnnxModelWriter.longTensor("", dims, values));
    }

    /** A float tensor attribute ({@code Constant}'s {@code value}). */
    public static Attribute floatTensor(String name, long[] dims, float... values) {
      return new Attribute(name, TYPE_TENSOR, 0, 0f, null, OnnxModelWriter.floatTensor("", dims, values));
    }

    /**
     * A subgraph ({@code If}'s {@code then_branch}/{@code else_branch}): {@code body} declares its
     * outputs (no inputs) and may read any name of the enclosing graphs.
     */
    public static Attribute graph(String name, OnnxModelWriter body) {
      return new Attribute(name, TYPE_GRAPH, 0, 0f, null, body.graphBytes());
    }

    byte[] encode() {
      Proto attribute = new Proto().string(1, name);
      switch (type) {
        case TYPE_FLOAT -> attribute.float32(2, f);
        case TYPE_INT -> attribute.varint(3, i);
        case TYPE_TENSOR -> attribute.message(5, message);
        case TYPE_GRAPH -> attribute.message(6, message);
        case TYPE_INTS -> {
          for (long value : ints) {
            attribute.varint(8, value);
          }
        }
        default -> throw new IllegalStateException("attribute type " + type);
      }
      return attribute.varint(20, type).toByteArray();
    }
  }

  /** One protobuf message being written: keys and values in the wire format. */
  private static final class Proto {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

    Proto varint(int field, long value) {
      return write(() -> out.writeInt64(field, value));
    }

    Proto float32(int field, float value) {
      return write(() -> out.writeFloat(field, value));
    }

    Proto string(int field, String value) {
      return write(() -> out.writeString(field, value));
    }

    Proto bytes(int field, byte[] value) {
      return write(() -> out.writeByteArray(field, value));
    }

    /** An embedded message is length-delimited, like bytes. */
    Proto message(int field, byte[] encoded) {
      return bytes(field, encoded);
    }

    byte[] toByteArray() {
      write(out::flush);
      return buffer.toByteArray();
    }

    private Proto write(IoAction action) {
      try {
        action.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }
}
