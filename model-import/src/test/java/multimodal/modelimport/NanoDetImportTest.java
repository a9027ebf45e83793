package multimodal.modelimport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.FloatBuffer;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The imported NanoDet (SparseToDense shapes folded, Pad/PadV2/SplitV/Transpose) against
 * TensorFlow.js.
 */
class NanoDetImportTest {

  @Test
  void allSixOutputsMatchTfjsSamples() throws OrtException {
    JsonNode golden = Golden.resource("nanodet-synthetic.json");
    float[] bytes = SyntheticInput.bytes(golden.path("seed").asInt(), 3 * 416 * 416);
    float[] input = new float[bytes.length];
    for (int i = 0; i < bytes.length; i++) input[i] = bytes[i] / 255f;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session =
            env.createSession(
                VisionModels.onnx("nanodet-coco").toString(), new OrtSession.SessionOptions());
        OnnxTensor x =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 3, 416, 416});
        OrtSession.Result out = session.run(Map.of("input_1", x))) {
      int checked = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = golden.path("outputs").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        OnnxTensor t =
            (OnnxTensor)
                out.get(e.getKey())
                    .orElseThrow(() -> new AssertionError("no output " + e.getKey()));
        long[] shape = new long[e.getValue().path("shape").size()];
        for (int k = 0; k < shape.length; k++)
          shape[k] = e.getValue().path("shape").get(k).asLong();
        assertThat(t.getInfo().getShape()).as(e.getKey() + " shape").containsExactly(shape);
        FloatBuffer data = t.getFloatBuffer();
        for (JsonNode pair : e.getValue().path("sample")) {
          int index = pair.get(0).asInt();
          assertThat((double) data.get(index))
              .as(e.getKey() + "[" + index + "]")
              .isCloseTo(pair.get(1).asDouble(), within(1e-3));
        }
        checked++;
      }
      assertThat(checked).isEqualTo(6);
    }
  }
}
