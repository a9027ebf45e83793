package multimodal.generator.inference.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;
import multimodal.generator.inference.generation.GenerationControl;

/** Tensor creation and slicing shared by the layouts (direct buffers: no copy into ORT). */
public final class OrtTensors {
  private OrtTensors() {}

  public static FloatBuffer floats(int count) {
    return ByteBuffer.allocateDirect(count * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  public static OnnxTensor floatTensor(OrtEnvironment env, float[] values, long... shape)
      throws OrtException {
    FloatBuffer buffer = floats(values.length);
    buffer.put(values).rewind();
    return OnnxTensor.createTensor(env, buffer, shape);
  }

  /** {@code [rows, columns]} int64 tensor. */
  public static OnnxTensor longTensor(OrtEnvironment env, long[][] rows) throws OrtException {
    int columns = rows.length == 0 ? 0 : rows[0].length;
    LongBuffer buffer =
        ByteBuffer.allocateDirect(rows.length * columns * Long.BYTES)
            .order(ByteOrder.nativeOrder())
            .asLongBuffer();
    for (long[] row : rows) {
      buffer.put(row);
    }
    buffer.rewind();
    return OnnxTensor.createTensor(env, buffer, new long[] {rows.length, columns});
  }

  /** A float tensor with a zero-length axis (an empty KV cache). */
  public static OnnxTensor empty(OrtEnvironment env, long... shape) throws OrtException {
    return OnnxTensor.createTensor(env, FloatBuffer.allocate(0), shape);
  }

  /** Copies rows along axis 0: new row {@code i} = old row {@code order[i]}. */
  public static OnnxTensor gatherRows(OrtEnvironment env, OnnxTensor tensor, int[] order)
      throws OrtException {
    long[] shape = tensor.getInfo().getShape();
    FloatBuffer source = tensor.getFloatBuffer();
    int rowSize = (int) (shape[0] == 0 ? 0 : source.capacity() / shape[0]);
    FloatBuffer target = floats(order.length * rowSize);
    float[] row = new float[rowSize];
    for (int i = 0; i < order.length; i++) {
      source.position(order[i] * rowSize);
      source.get(row);
      target.put(row);
    }
    target.rewind();
    long[] newShape = shape.clone();
    newShape[0] = order.length;
    return OnnxTensor.createTensor(env, target, newShape);
  }

  /**
   * Repeats each row {@code times} times in place (rows a, b become a, a, b, b): beam search
   * decodes an image's beams as batch rows that share its encoder output.
   */
  public static OnnxTensor repeatRows(OrtEnvironment env, OnnxTensor tensor, int times)
      throws OrtException {
    if (times == 1) {
      return tensor;
    }
    int n = (int) tensor.getInfo().getShape()[0];
    int[] order = new int[n * times];
    for (int i = 0; i < order.length; i++) {
      order[i] = i / times;
    }
    return gatherRows(env, tensor, order);
  }

  /** Scores of the last position of each row of a {@code [rows, seq, vocab]} logits tensor. */
  public static float[][] lastPositionRows(OnnxTensor logits) {
    long[] shape = logits.getInfo().getShape();
    int rows = (int) shape[0];
    int seq = (int) shape[1];
    int vocab = (int) shape[2];
    FloatBuffer buffer = logits.getFloatBuffer();
    float[][] out = new float[rows][vocab];
    for (int r = 0; r < rows; r++) {
      buffer.position((r * seq + seq - 1) * vocab);
      buffer.get(out[r]);
    }
    return out;
  }

  /** The declared shape of a session input ({@code -1} for symbolic dims). */
  public static long[] inputShape(OrtSession session, String name) throws OrtException {
    return tensorInput(session, name).getShape();
  }

  /** The element type of a session input. */
  public static OnnxJavaType inputType(OrtSession session, String name) throws OrtException {
    return tensorInput(session, name).type;
  }

  private static TensorInfo tensorInput(OrtSession session, String name) throws OrtException {
    NodeInfo info = session.getInputInfo().get(name);
    if (info == null || !(info.getInfo() instanceof TensorInfo tensor)) {
      throw new IllegalStateException("model has no tensor input " + name);
    }
    return tensor;
  }

  /**
   * The output named {@code preferred} (Optimum's name), else the graph's first (diffusers' [0]).
   */
  public static String outputName(OrtSession session, String preferred) {
    return session.getOutputNames().contains(preferred)
        ? preferred
        : session.getOutputNames().iterator().next();
  }

  /** The tensor a run produced as {@code name}; {@code model} names the graph when it has none. */
  public static OnnxTensor output(OrtSession.Result result, String name, String model) {
    return (OnnxTensor)
        result
            .get(name)
            .orElseThrow(() -> new IllegalStateException(model + " has no output " + name));
  }

  /** Fails fast when a graph lacks an input the layout needs. */
  public static void requireInputs(OrtSession session, String file, List<String> names)
      throws OrtException {
    for (String name : names) {
      if (!session.getInputNames().contains(name)) {
        throw new IllegalStateException(
            file + " has no input " + name + " (inputs: " + session.getInputNames() + ")");
      }
    }
  }

  /** Closes native values in reverse order of creation (their owners last). */
  public static void closeReversed(List<AutoCloseable> created) {
    for (int i = created.size() - 1; i >= 0; i--) {
      try {
        created.get(i).close();
      } catch (Exception ignored) {
        // closing native memory does not fail in practice
      }
    }
  }

  /**
   * Runs one decoder step and reads the last position's logits; on failure to read them the result
   * is closed, otherwise the caller owns it (its presents feed the next step).
   */
  public static OrtSession.Result runStep(
      OrtSession decoder,
      Map<String, OnnxTensor> inputs,
      GenerationControl control,
      float[][][] logits)
      throws OrtException {
    OrtSession.Result result = decoder.run(inputs, control.runOptions());
    try {
      logits[0] = lastPositionRows(output(result, "logits", "decoder"));
      return result;
    } catch (RuntimeException e) {
      result.close();
      throw e;
    }
  }
}
