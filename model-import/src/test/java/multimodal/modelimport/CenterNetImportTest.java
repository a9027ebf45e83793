package multimodal.modelimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The imported CenterNet, run by ONNX Runtime, against TensorFlow.js's own outputs for the same
 * synthetic image.
 */
class CenterNetImportTest {

  private static final double TOLERANCE = 1e-3;
  private static OrtEnvironment env;
  private static OrtSession session;
  private static JsonNode golden;
  private static float[] detections;
  private static float[] keypoints;
  private static float[] wh;

  @BeforeAll
  static void run() throws OrtException {
    golden = Golden.resource("centernet-synthetic.json");
    env = OrtEnvironment.getEnvironment();
    session =
        env.createSession(
            VisionModels.onnx("centernet-coco").toString(), new OrtSession.SessionOptions());
    float[] pixels = SyntheticInput.bytes(golden.path("seed").asInt(), 512 * 512 * 3);
    try (OnnxTensor input =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {1, 512, 512, 3});
        OrtSession.Result out = session.run(Map.of("tower_0/images", input))) {
      detections = flat(out, "tower_0/detections", new long[] {1, 100, 6});
      keypoints = flat(out, "tower_0/keypoints", new long[] {1, 128, 128, 80});
      wh = flat(out, "tower_0/wh", new long[] {1, 128, 128, 4});
    }
  }

  private static float[] flat(OrtSession.Result out, String name, long[] shape)
      throws OrtException {
    OnnxTensor t =
        (OnnxTensor) out.get(name).orElseThrow(() -> new AssertionError("no output " + name));
    assertThat(t.getInfo().getShape()).as(name + " shape (TF layout)").containsExactly(shape);
    FloatBuffer b = t.getFloatBuffer();
    float[] f = new float[b.remaining()];
    b.get(f);
    return f;
  }

  @AfterAll
  static void close() throws OrtException {
    if (session != null) session.close();
  }

  @Test
  void heatmapSampleMatchesTfjs() {
    assertSample(golden.path("keypoints"), keypoints, "keypoints");
  }

  @Test
  void sizeRegressionSampleMatchesTfjs() {
    assertSample(golden.path("wh"), wh, "wh");
  }

  private static void assertSample(JsonNode sample, float[] actual, String what) {
    assertThat(sample.size()).isGreaterThan(100);
    for (JsonNode pair : sample) {
      int index = pair.get(0).asInt();
      assertThat((double) actual[index])
          .as(what + "[" + index + "]")
          .isCloseTo(pair.get(1).asDouble(), within(TOLERANCE));
    }
  }

  @Test
  void allHundredDetectionsMatchTfjsInOrder() {
    JsonNode rows = golden.path("detections");
    assertThat(rows.size()).isEqualTo(100);
    for (int r = 0; r < 100; r++) {
      JsonNode g = rows.get(r);
      String row = "detection " + r;
      assertThat((int) detections[r * 6 + 5])
          .as(row + " class")
          .isEqualTo(g.path("classIndex").asInt());
      assertThat((double) detections[r * 6 + 4])
          .as(row + " score")
          .isCloseTo(g.path("score").asDouble(), within(TOLERANCE));
      for (int k = 0; k < 4; k++) {
        assertThat((double) detections[r * 6 + k])
            .as(row + " box[" + k + "]")
            .isCloseTo(g.path("box").get(k).asDouble(), within(TOLERANCE));
      }
    }
  }
}
