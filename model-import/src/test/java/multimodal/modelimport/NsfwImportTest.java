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
import org.junit.jupiter.api.Test;

/**
 * The imported nsfwjs mobilenet_v2_mid, two images in one batch, against TensorFlow.js's
 * probabilities.
 */
class NsfwImportTest {

  private static final int PIXELS = 224 * 224 * 3;

  @Test
  void batchOfTwoMatchesTfjsProbabilities() throws OrtException {
    JsonNode golden = Golden.resource("nsfw-synthetic.json");
    float[] input = new float[2 * PIXELS];
    for (int b = 0; b < 2; b++) {
      float[] bytes = SyntheticInput.bytes(golden.path("seeds").get(b).asInt(), PIXELS);
      for (int i = 0; i < PIXELS; i++) input[b * PIXELS + i] = bytes[i] / 255f;
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session =
            env.createSession(
                VisionModels.onnx("nsfw-mobilenet-v2-mid").toString(),
                new OrtSession.SessionOptions());
        OnnxTensor x =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {2, 224, 224, 3});
        OrtSession.Result out = session.run(Map.of("input", x))) {
      float[][] probs = (float[][]) out.get("Identity").orElseThrow().getValue();
      assertThat(probs).hasDimensions(2, 5);
      for (int b = 0; b < 2; b++) {
        JsonNode expected = golden.path("probabilities").get(b);
        int argmax = 0;
        for (int k = 0; k < 5; k++) {
          assertThat((double) probs[b][k])
              .as("image %d class %s", b, golden.path("classes").get(k).asText())
              .isCloseTo(expected.get(k).asDouble(), within(1e-3));
          if (probs[b][k] > probs[b][argmax]) argmax = k;
        }
        int expectedArgmax = 0;
        for (int k = 0; k < 5; k++)
          if (expected.get(k).asDouble() > expected.get(expectedArgmax).asDouble())
            expectedArgmax = k;
        assertThat(argmax).as("top class of image %d", b).isEqualTo(expectedArgmax);
      }
    }
  }
}
