package multimodal.generator.inference.vision;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import multimodal.generator.inference.onnx.OrtTensors;

/**
 * One ONNX Runtime session over an NHWC image input and one float output, with the tensor names
 * model.properties lists (checked against the graph at load). Knows whether the graph takes a
 * dynamic batch; callers loop over images when it does not.
 */
final class VisionSession implements AutoCloseable {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String input;
  private final String output;
  private final long[] inputShape;

  private VisionSession(
      OrtEnvironment env, OrtSession session, String input, String output, long[] inputShape) {
    this.env = env;
    this.session = session;
    this.input = input;
    this.output = output;
    this.inputShape = inputShape;
  }

  /**
   * Opens the model with its one image input; {@code output} names the output to read, or is null
   * when model.properties must list exactly one.
   */
  static VisionSession open(
      VisionModelDir dir, OrtEnvironment env, OrtSession.SessionOptions options, String output)
      throws OrtException {
    return open(dir, env, options, output, null);
  }

  /**
   * As {@link #open(VisionModelDir, OrtEnvironment, OrtSession.SessionOptions, String)}, but over
   * {@code model} (the directory's graph rewritten in memory) instead of the file; null = the file.
   */
  static VisionSession open(
      VisionModelDir dir,
      OrtEnvironment env,
      OrtSession.SessionOptions options,
      String output,
      byte[] model)
      throws OrtException {
    List<String> declaredInputs = dir.tensors("inputs");
    List<String> declaredOutputs = dir.tensors("outputs");
    if (declaredInputs.size() != 1) {
      throw new IllegalStateException(
          dir.dir().toAbsolutePath()
              + ": model.properties lists inputs "
              + declaredInputs
              + ", expected one image input");
    }
    String input = declaredInputs.get(0);
    if (output == null && declaredOutputs.size() != 1) {
      throw new IllegalStateException(
          dir.dir().toAbsolutePath()
              + ": model.properties lists outputs "
              + declaredOutputs
              + ", expected one");
    }
    if (output != null && !declaredOutputs.contains(output)) {
      throw new IllegalStateException(
          dir.dir().toAbsolutePath()
              + ": model.properties lists outputs "
              + declaredOutputs
              + ", not '"
              + output
              + "'");
    }
    String read = output == null ? declaredOutputs.get(0) : output;
    OrtSession session =
        model == null
            ? env.createSession(dir.model().toString(), options)
            : env.createSession(model, options);
    return check(dir, env, session, input, read);
  }

  private static VisionSession check(
      VisionModelDir dir, OrtEnvironment env, OrtSession session, String input, String output)
      throws OrtException {
    try {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      if (!inputs.containsKey(input)) {
        throw new IllegalStateException(
            dir.model().toAbsolutePath()
                + " has no input '"
                + input
                + "' (model.properties inputs); inputs: "
                + inputs.keySet());
      }
      if (!session.getOutputNames().contains(output)) {
        throw new IllegalStateException(
            dir.model().toAbsolutePath()
                + " has no output '"
                + output
                + "' (model.properties outputs); outputs: "
                + session.getOutputNames());
      }
      long[] shape = ((TensorInfo) inputs.get(input).getInfo()).getShape();
      if (shape.length != 4 || shape[3] != 3 || shape[1] <= 0 || shape[2] <= 0) {
        throw new IllegalStateException(
            dir.model().toAbsolutePath()
                + ": input '"
                + input
                + "' is "
                + Arrays.toString(shape)
                + ", expected NHWC [batch, height, width, 3]");
      }
      return new VisionSession(env, session, input, output, shape);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** The name of the image input. */
  String inputName() {
    return input;
  }

  int height() {
    return (int) inputShape[1];
  }

  int width() {
    return (int) inputShape[2];
  }

  /** True when the graph's batch dimension is symbolic, so several images go in one run. */
  boolean dynamicBatch() {
    return inputShape[0] < 0;
  }

  /**
   * Runs {@code batch} images laid out NHWC in {@code pixels}; returns the output, flat, row-major.
   */
  float[] run(float[] pixels, int batch) throws OrtException {
    FloatBuffer buffer = OrtTensors.floats(pixels.length);
    buffer.put(pixels).rewind();
    try (OnnxTensor tensor =
            OnnxTensor.createTensor(env, buffer, new long[] {batch, height(), width(), 3});
        OrtSession.Result result = session.run(Map.of(input, tensor), java.util.Set.of(output))) {
      FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] values = new float[out.remaining()];
      out.get(values);
      return values;
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      // nothing left to do with a session that cannot close
    }
  }
}
