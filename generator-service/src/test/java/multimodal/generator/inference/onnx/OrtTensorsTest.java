package multimodal.generator.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class OrtTensorsTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  @Test
  void repeatRowsKeepsEachRowsCopiesTogether() throws OrtException {
    try (OnnxTensor rows = OrtTensors.floatTensor(ENV, new float[] {1, 2, 3, 4}, 2, 2);
        OnnxTensor repeated = OrtTensors.repeatRows(ENV, rows, 3)) {
      assertThat(repeated.getInfo().getShape()).containsExactly(6, 2);
      FloatBuffer values = repeated.getFloatBuffer();
      float[] out = new float[values.remaining()];
      values.get(out);
      assertThat(out).containsExactly(1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4);
    }
  }

  @Test
  void repeatRowsOnceIsTheSameTensor() throws OrtException {
    try (OnnxTensor rows = OrtTensors.floatTensor(ENV, new float[] {1, 2}, 1, 2)) {
      assertThat(OrtTensors.repeatRows(ENV, rows, 1)).isSameAs(rows);
    }
  }
}
