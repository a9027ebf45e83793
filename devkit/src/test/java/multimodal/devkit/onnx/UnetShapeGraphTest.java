package multimodal.devkit.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shape-faithful UNet's graph, at a narrow configuration of the same layout (the real sizes are
 * 1.3 GB): ONNX Runtime runs it with the standard export's inputs, the output has the sample's
 * shape and is finite, and the text conditions it (cross-attention is wired in).
 */
class UnetShapeGraphTest {
  private static final UnetShapeGraph.Config NARROW =
      new UnetShapeGraph.Config(
          "narrow", new int[] {32, 64}, new boolean[] {true, false}, 1, true, 2, 768);

  @Test
  void runsWithTheExportInterfaceAndFollowsTheText() throws Exception {
    byte[] model = new UnetShapeGraph(NARROW, 3).build().toByteArray();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model, options)) {
      float[] sample = gaussian(2 * 4 * 16 * 16, 1);
      float[] first = run(env, session, sample, gaussian(2 * 77 * 768, 2));
      float[] again = run(env, session, sample, gaussian(2 * 77 * 768, 2));
      float[] otherText = run(env, session, sample, gaussian(2 * 77 * 768, 3));

      assertThat(first).hasSize(sample.length);
      for (float v : first) {
        assertThat(Float.isFinite(v)).isTrue();
      }
      // Another text moves the output far more than running the same inputs again does.
      assertThat(maxDifference(first, otherText))
          .isGreaterThan(1e-3)
          .isGreaterThan(100 * maxDifference(first, again));
    }
  }

  private static float[] run(OrtEnvironment env, OrtSession session, float[] sample, float[] text)
      throws Exception {
    try (OnnxTensor s =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(sample), new long[] {2, 4, 16, 16});
        OnnxTensor t =
            OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {999, 999}), new long[] {2});
        OnnxTensor c =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(text), new long[] {2, 77, 768});
        OrtSession.Result result =
            session.run(Map.of("sample", s, "timestep", t, "encoder_hidden_states", c))) {
      OnnxTensor out = (OnnxTensor) result.get("out_sample").orElseThrow();
      assertThat(out.getInfo().getShape()).containsExactly(2, 4, 16, 16);
      FloatBuffer values = out.getFloatBuffer();
      float[] copy = new float[values.remaining()];
      values.get(copy);
      return copy;
    }
  }

  private static double maxDifference(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static float[] gaussian(int n, long seed) {
    Random random = new Random(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
