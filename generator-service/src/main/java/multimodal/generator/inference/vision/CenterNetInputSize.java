package multimodal.generator.inference.vision;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import multimodal.onnx.GraphProto;
import multimodal.onnx.ModelProto;
import multimodal.onnx.NodeProto;
import multimodal.onnx.TensorProto;
import multimodal.onnx.TensorShapeProto;

/**
 * Rewrites the imported CenterNet graph for a smaller square input. The network is convolutional,
 * but the TF.js export froze the input size into a few constants: the three {@code Resize} target
 * sizes of the feature pyramid (input / 16, / 8, / 4), the heatmap side (input / 4) in the index
 * arithmetic after {@code TopK}, and the heatmap area in the {@code Reshape} before the box gather.
 * Those are scaled; the weights, the box scale (4 input pixels per heatmap cell) and everything
 * else stay as they are. Sizes must be multiples of 32 so that every stride-2 stage sees an even
 * size and TF's SAME padding, frozen into explicit pads, stays the same. A graph where these
 * constants are not found exactly as described is refused, so another export is never silently
 * mis-sized.
 */
final class CenterNetInputSize {
  private static final int STRIDE_MULTIPLE = 32;
  private static final int HEATMAP_STRIDE = 4;
  private static final int INT32 = TensorProto.DataType.INT32_VALUE;
  private static final int INT64 = TensorProto.DataType.INT64_VALUE;

  private CenterNetInputSize() {}

  /**
   * The model with its {@code [1, N, N, 3]} input {@code input} made {@code [1, size, size, 3]}.
   *
   * @throws IllegalArgumentException when the size or the graph does not allow it, saying why
   */
  static ModelProto resize(ModelProto model, String input, int size) {
    GraphProto.Builder graph = model.getGraph().toBuilder();
    int index = inputIndex(graph, input);
    TensorShapeProto.Builder shape =
        graph.getInputBuilder(index).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
    int original = (int) shape.getDim(1).getDimValue();
    if (shape.getDimCount() != 4
        || original != shape.getDim(2).getDimValue()
        || original % STRIDE_MULTIPLE != 0) {
      throw new IllegalArgumentException(
          "input '" + input + "' is not a square NHWC input with a side that is a multiple of 32");
    }
    if (size <= 0 || size >= original || size % STRIDE_MULTIPLE != 0) {
      throw new IllegalArgumentException(
          "input size "
              + size
              + " must be a multiple of 32 below the model's own "
              + original
              + " (every stride-2 stage must see an even size)");
    }
    shape.getDimBuilder(1).setDimValue(size);
    shape.getDimBuilder(2).setDimValue(size);

    Map<String, Set<String>> consumers = consumers(graph.getNodeList());
    long side = original / HEATMAP_STRIDE;
    long newSide = size / HEATMAP_STRIDE;
    int resizes = 0;
    int areas = 0;
    int sides = 0;
    for (int i = 0; i < graph.getInitializerCount(); i++) {
      TensorProto tensor = graph.getInitializer(i);
      Set<String> ops = consumers.getOrDefault(tensor.getName(), Set.of());
      if (ops.equals(Set.of("Resize")) && tensor.getDataType() == INT64 && count(tensor) == 4) {
        long[] sizes = values(tensor);
        if (sizes[2] * size % original != 0 || sizes[3] * size % original != 0) {
          throw new IllegalArgumentException(
              tensor.getName() + " does not scale to input " + size + " exactly");
        }
        sizes[2] = sizes[2] * size / original;
        sizes[3] = sizes[3] * size / original;
        graph.setInitializer(i, withValues(tensor, sizes));
        resizes++;
      } else if (ops.equals(Set.of("Reshape")) && tensor.getDataType() == INT64) {
        long[] dims = values(tensor);
        boolean changed = false;
        for (int d = 0; d < dims.length; d++) {
          if (dims[d] == side * side) {
            dims[d] = newSide * newSide;
            changed = true;
          }
        }
        if (changed) {
          graph.setInitializer(i, withValues(tensor, dims));
          areas++;
        }
      } else if (tensor.getDataType() == INT32
          && tensor.getDimsCount() == 0
          && !ops.isEmpty()
          && Set.of("Mod", "Div", "Mul").containsAll(ops)
          && values(tensor)[0] == side) {
        graph.setInitializer(i, withValues(tensor, new long[] {newSide}));
        sides++;
      }
    }
    if (resizes == 0 || areas != 1 || sides != 1) {
      throw new IllegalArgumentException(
          "not the CenterNet graph this rewrite knows: found "
              + resizes
              + " Resize sizes, "
              + areas
              + " heatmap-area reshapes and "
              + sides
              + " heatmap-side constants (expected at least one, one and one)");
    }
    // Shapes recorded for the old size would contradict the new ones; ONNX Runtime infers them.
    graph.clearValueInfo();
    for (int i = 0; i < graph.getOutputCount(); i++) {
      graph.getOutputBuilder(i).getTypeBuilder().getTensorTypeBuilder().clearShape();
    }
    return model.toBuilder().setGraph(graph).build();
  }

  private static int inputIndex(GraphProto.Builder graph, String input) {
    for (int i = 0; i < graph.getInputCount(); i++) {
      if (graph.getInput(i).getName().equals(input)) {
        return i;
      }
    }
    throw new IllegalArgumentException("the graph has no input '" + input + "'");
  }

  private static Map<String, Set<String>> consumers(List<NodeProto> nodes) {
    Map<String, Set<String>> consumers = new HashMap<>();
    for (NodeProto node : nodes) {
      for (String name : node.getInputList()) {
        consumers.computeIfAbsent(name, n -> new HashSet<>()).add(node.getOpType());
      }
    }
    return consumers;
  }

  private static long count(TensorProto tensor) {
    long count = 1;
    for (long dim : tensor.getDimsList()) {
      count *= dim;
    }
    return count;
  }

  /** An int32 or int64 tensor's values, from raw_data or the typed field. */
  private static long[] values(TensorProto tensor) {
    int width = tensor.getDataType() == INT64 ? Long.BYTES : Integer.BYTES;
    if (!tensor.getRawData().isEmpty()) {
      ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      long[] values = new long[raw.remaining() / width];
      for (int i = 0; i < values.length; i++) {
        values[i] = width == Long.BYTES ? raw.getLong() : raw.getInt();
      }
      return values;
    }
    return width == Long.BYTES
        ? tensor.getInt64DataList().stream().mapToLong(Long::longValue).toArray()
        : tensor.getInt32DataList().stream().mapToLong(Integer::longValue).toArray();
  }

  private static TensorProto withValues(TensorProto tensor, long[] values) {
    boolean int64 = tensor.getDataType() == INT64;
    ByteBuffer raw =
        ByteBuffer.allocate(values.length * (int64 ? Long.BYTES : Integer.BYTES))
            .order(ByteOrder.LITTLE_ENDIAN);
    for (long value : values) {
      if (int64) {
        raw.putLong(value);
      } else {
        raw.putInt(Math.toIntExact(value));
      }
    }
    return tensor.toBuilder()
        .clearInt64Data()
        .clearInt32Data()
        .setRawData(ByteString.copyFrom(raw.array()))
        .build();
  }
}
