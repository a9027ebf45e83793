package multimodal.modelimport.convert;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import multimodal.modelimport.tfjs.TfDType;
import multimodal.modelimport.tfjs.TfTensor;
import multimodal.onnx.AttributeProto;
import multimodal.onnx.GraphProto;
import multimodal.onnx.NodeProto;
import multimodal.onnx.TensorProto;
import multimodal.onnx.TensorShapeProto;
import multimodal.onnx.TypeProto;
import multimodal.onnx.ValueInfoProto;

/** Accumulates ONNX nodes, initializers, inputs and outputs, and hands out unique value names. */
public final class OnnxGraph {

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Set<String> used = new HashSet<>();

  public OnnxGraph(String name) {
    graph.setName(name);
  }

  /** Keeps a name free for a graph input or output, so no internal value takes it. */
  public void reserve(String name) {
    used.add(name);
  }

  public String fresh(String hint) {
    String name = hint;
    for (int k = 1; !used.add(name); k++) name = hint + "__" + k;
    return name;
  }

  /** Adds a single-output node and returns the output's name. */
  public String op(String opType, String outputHint, List<String> inputs, AttributeProto... attrs) {
    return ops(opType, List.of(fresh(outputHint)), inputs, attrs).get(0);
  }

  public List<String> ops(
      String opType, List<String> outputs, List<String> inputs, AttributeProto... attrs) {
    graph.addNode(
        NodeProto.newBuilder()
            .setOpType(opType)
            .setName(outputs.get(0))
            .addAllInput(inputs)
            .addAllOutput(outputs)
            .addAllAttribute(Arrays.asList(attrs)));
    return outputs;
  }

  public String initializer(String hint, TfTensor t) {
    String name = fresh(hint);
    TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(t.dtype().onnxType);
    for (long d : t.shape()) b.addDims(d);
    ByteBuffer raw = ByteBuffer.allocate(t.size() * t.dtype().bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < t.size(); i++) {
      switch (t.dtype()) {
        case FLOAT -> raw.putFloat(t.floats()[i]);
        case INT32 -> raw.putInt(Math.toIntExact(t.longs()[i]));
        case INT64 -> raw.putLong(t.longs()[i]);
        case BOOL -> raw.put((byte) t.longs()[i]);
      }
    }
    graph.addInitializer(b.setRawData(ByteString.copyFrom(raw.array())));
    return name;
  }

  public String int64s(String hint, long... values) {
    return initializer(hint, TfTensor.ofLongs(TfDType.INT64, new long[] {values.length}, values));
  }

  public String scalar(String hint, TfDType dtype, double value) {
    return initializer(
        hint,
        dtype.isFloat()
            ? TfTensor.ofFloats(new long[0], new float[] {(float) value})
            : TfTensor.ofLongs(dtype, new long[0], new long[] {(long) value}));
  }

  public void input(String name, TfDType dtype, long[] shape) {
    graph.addInput(valueInfo(name, dtype, shape));
  }

  public void output(String name, TfDType dtype, long[] shape) {
    graph.addOutput(valueInfo(name, dtype, shape));
  }

  public GraphProto build() {
    return graph.build();
  }

  /** Unknown dimensions become the symbolic "batch" (first axis) or "d<i>". */
  private static ValueInfoProto valueInfo(String name, TfDType dtype, long[] shape) {
    TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder().setElemType(dtype.onnxType);
    if (shape != null) {
      TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
      for (int i = 0; i < shape.length; i++) {
        s.addDim(
            shape[i] >= 0
                ? TensorShapeProto.Dimension.newBuilder().setDimValue(shape[i])
                : TensorShapeProto.Dimension.newBuilder().setDimParam(i == 0 ? "batch" : "d" + i));
      }
      tensor.setShape(s);
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(tensor))
        .build();
  }

  public static AttributeProto attr(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  public static AttributeProto attr(String name, float value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.FLOAT)
        .setF(value)
        .build();
  }

  public static AttributeProto attr(String name, String value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(value))
        .build();
  }

  public static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder b =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) b.addInts(v);
    return b.build();
  }
}
