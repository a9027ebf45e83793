package multimodal.modelimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import multimodal.modelimport.convert.TfjsToOnnx;
import multimodal.modelimport.tfjs.TfTensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Each op case from golden/ops.json (TF.js kernels) imported as a one-op graph and run by ONNX
 * Runtime.
 */
class OpSemanticsTest {

  @TestFactory
  Stream<DynamicTest> importedOpMatchesTfjsKernel() {
    JsonNode cases = Golden.resource("ops.json").path("cases");
    assertThat(cases.size()).isGreaterThan(20);
    return StreamSupport.stream(cases.spliterator(), false)
        .map(c -> DynamicTest.dynamicTest(c.path("name").asText(), () -> check(c)));
  }

  private static void check(JsonNode c) throws OrtException {
    List<TfTensor> inputs = new ArrayList<>();
    c.path("inputs").forEach(i -> inputs.add(OneOpGraph.tensor(i)));
    TfTensor expected = OneOpGraph.tensor(c.path("expected"));
    byte[] onnx =
        TfjsToOnnx.convert(OneOpGraph.of(c.path("op").asText(), c.path("attrs"), inputs), "case")
            .toByteArray();

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    TfTensor x = inputs.get(0);
    try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
        OnnxTensor in =
            x.floats() != null
                ? OnnxTensor.createTensor(env, FloatBuffer.wrap(x.floats()), x.shape())
                : OnnxTensor.createTensor(env, IntBuffer.wrap(toInts(x.longValues())), x.shape());
        OrtSession.Result result = session.run(Map.of("x", in))) {
      OnnxTensor out = (OnnxTensor) result.get("out").orElseThrow();
      assertThat(out.getInfo().getShape()).as("shape").containsExactly(expected.shape());
      if (expected.floats() != null) {
        float[] actual = new float[expected.size()];
        out.getFloatBuffer().get(actual);
        for (int i = 0; i < actual.length; i++) {
          assertThat((double) actual[i])
              .as("value %d", i)
              .isCloseTo(expected.floats()[i], within(1e-4));
        }
      } else {
        int[] actual = new int[expected.size()];
        out.getIntBuffer().get(actual);
        assertThat(actual).containsExactly(toInts(expected.longValues()));
      }
    }
  }

  private static int[] toInts(long[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) out[i] = Math.toIntExact(v[i]);
    return out;
  }
}
