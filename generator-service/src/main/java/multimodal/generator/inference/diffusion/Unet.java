package multimodal.generator.inference.diffusion;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.onnx.OrtTensors;
import multimodal.generator.inference.onnx.Sessions;

/**
 * {@code unet/model.onnx}: {@code sample} float {@code [B, C, h, w]}, {@code timestep} and {@code
 * encoder_hidden_states} float {@code [B, tokens, width]} → {@code out_sample} {@code [B, C, h,
 * w]}. Exports differ in the timestep: float or int64 (read from the graph; an int64 one gets the
 * timestep truncated, as numpy's cast does in diffusers' ONNX pipeline), of shape {@code [B]} when
 * the dimension is symbolic, else its fixed length (usually 1, broadcast over the batch). Half
 * precision exports are refused by name.
 */
final class Unet implements AutoCloseable {
  static final String SAMPLE = "sample";
  static final String TIMESTEP = "timestep";
  static final String ENCODER_HIDDEN_STATES = "encoder_hidden_states";
  static final String OUT_SAMPLE = "out_sample";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final boolean floatTimestep;
  private final long[] timestepShape;
  private final int latentChannels;
  private final String output;

  private Unet(
      OrtEnvironment env,
      OrtSession session,
      boolean floatTimestep,
      long[] timestepShape,
      int latentChannels,
      String output) {
    this.env = env;
    this.session = session;
    this.floatTimestep = floatTimestep;
    this.timestepShape = timestepShape;
    this.latentChannels = latentChannels;
    this.output = output;
  }

  static Unet load(DiffusionExport export, OrtEnvironment env, OrtSession.SessionOptions options)
      throws OrtException {
    OrtSession session = env.createSession(export.unet().toString(), options);
    try {
      OrtTensors.requireInputs(
          session, "unet/model.onnx", List.of(SAMPLE, TIMESTEP, ENCODER_HIDDEN_STATES));
      for (String name : session.getInputNames()) {
        if (!List.of(SAMPLE, TIMESTEP, ENCODER_HIDDEN_STATES).contains(name)) {
          throw new IllegalStateException(
              "unet/model.onnx needs input "
                  + name
                  + ", which this pipeline does not feed (SD 1.x/2.x UNets take sample, timestep,"
                  + " encoder_hidden_states)");
        }
      }
      requireFloat(session, SAMPLE);
      requireFloat(session, ENCODER_HIDDEN_STATES);
      OnnxJavaType timestepType = OrtTensors.inputType(session, TIMESTEP);
      if (timestepType != OnnxJavaType.FLOAT && timestepType != OnnxJavaType.INT64) {
        throw new IllegalStateException(
            "unet/model.onnx: timestep is " + timestepType + " (float or int64 expected)");
      }
      long[] sampleShape = OrtTensors.inputShape(session, SAMPLE);
      int channels = sampleShape.length == 4 && sampleShape[1] > 0 ? (int) sampleShape[1] : 4;
      String output = OrtTensors.outputName(session, OUT_SAMPLE);
      return new Unet(
          env,
          session,
          timestepType == OnnxJavaType.FLOAT,
          OrtTensors.inputShape(session, TIMESTEP),
          channels,
          output);
    } catch (OrtException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  private static void requireFloat(OrtSession session, String name) throws OrtException {
    NodeInfo info = session.getInputInfo().get(name);
    if (!(info.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
      throw new IllegalStateException(
          "unet/model.onnx: "
              + name
              + " is "
              + info.getInfo()
              + "; only float32 exports are supported (not fp16)");
    }
  }

  int latentChannels() {
    return latentChannels;
  }

  /**
   * The model output for {@code rows} latents {@code [rows, C, h, w]} at {@code timestep} under
   * {@code context} ({@code rows} blocks of {@code tokens × width}).
   */
  float[] predict(
      float[] latents,
      int rows,
      int height,
      int width,
      double timestep,
      float[] context,
      int tokens,
      int contextWidth,
      GenerationControl control)
      throws OrtException {
    try (OnnxTensor sample =
            OrtTensors.floatTensor(env, latents, rows, latentChannels, height, width);
        OnnxTensor time = timestepTensor(rows, timestep);
        OnnxTensor hidden = OrtTensors.floatTensor(env, context, rows, tokens, contextWidth);
        OrtSession.Result result =
            session.run(
                Map.of(SAMPLE, sample, TIMESTEP, time, ENCODER_HIDDEN_STATES, hidden),
                control.runOptions())) {
      OnnxTensor out = OrtTensors.output(result, output, "UNet");
      FloatBuffer buffer = out.getFloatBuffer();
      if (buffer.remaining() != latents.length) {
        throw new IllegalStateException(
            "UNet output "
                + output
                + " has shape "
                + Arrays.toString(out.getInfo().getShape())
                + ", not that of its sample");
      }
      float[] values = new float[latents.length];
      buffer.get(values);
      return values;
    }
  }

  private OnnxTensor timestepTensor(int rows, double timestep) throws OrtException {
    long[] shape;
    if (timestepShape.length == 0) {
      shape = new long[0];
    } else {
      shape = new long[] {timestepShape[0] > 0 ? timestepShape[0] : rows};
    }
    int count = shape.length == 0 ? 1 : (int) shape[0];
    if (floatTimestep) {
      float[] values = new float[count];
      Arrays.fill(values, (float) timestep);
      return OrtTensors.floatTensor(env, values, shape);
    }
    LongBuffer values = LongBuffer.allocate(count);
    for (int i = 0; i < count; i++) {
      values.put((long) timestep);
    }
    return OnnxTensor.createTensor(env, values.rewind(), shape);
  }

  @Override
  public void close() {
    Sessions.close(session);
  }
}
