package multimodal.modelimport.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightsDecoderTest {

  private static JsonNode specs(String json) throws Exception {
    return new ObjectMapper().readTree(json);
  }

  @Test
  void dequantisesLikeTfjs() throws Exception {
    ByteBuffer data = ByteBuffer.allocate(2 + 4 + 4 + 4).order(ByteOrder.LITTLE_ENDIAN);
    data.put((byte) 0).put((byte) 255); // uint8
    data.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-0.25f)); // float16
    data.putInt(-7); // plain int32
    data.putFloat(3.25f); // plain float32
    Map<String, TfTensor> w =
        WeightsDecoder.decodeGroup(
            specs(
                """
                [{"name":"q8","shape":[2],"dtype":"float32","quantization":{"dtype":"uint8","scale":0.1,"min":-1.2}},
                 {"name":"h","shape":[2],"dtype":"float32","quantization":{"dtype":"float16"}},
                 {"name":"i","shape":[],"dtype":"int32"},
                 {"name":"f","shape":[1],"dtype":"float32"}]\
                """),
            data.array());
    assertThat(w.get("q8").floats()).containsExactly((float) -1.2, (float) (255 * 0.1 - 1.2));
    assertThat(w.get("h").floats()).containsExactly(1.5f, -0.25f);
    assertThat(w.get("i").longValues()).containsExactly(-7);
    assertThat(w.get("f").floats()).containsExactly(3.25f);
  }

  @Test
  void dataOfTheWrongLengthIsRefused() throws Exception {
    JsonNode spec = specs("[{\"name\":\"f\",\"shape\":[2],\"dtype\":\"float32\"}]");
    assertThatThrownBy(() -> WeightsDecoder.decodeGroup(spec, new byte[4]))
        .hasMessageContaining("'f'");
    assertThatThrownBy(() -> WeightsDecoder.decodeGroup(spec, new byte[12]))
        .hasMessageContaining("left over");
  }
}
