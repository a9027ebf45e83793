package multimodal.modelimport;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import multimodal.modelimport.convert.TfjsToOnnx;
import multimodal.modelimport.convert.UnsupportedOpException;
import multimodal.modelimport.tfjs.TfDType;
import multimodal.modelimport.tfjs.TfTensor;
import org.junit.jupiter.api.Test;

class UnsupportedOpTest {

  private static final TfTensor X = TfTensor.ofFloats(new long[] {2, 3}, new float[6]);

  @Test
  void unknownOpIsRefusedNamingOpAndNode() {
    var model = OneOpGraph.of("Erf", new ObjectMapper().createObjectNode(), List.of(X));
    assertThatThrownBy(() -> TfjsToOnnx.convert(model, "m"))
        .isInstanceOf(UnsupportedOpException.class)
        .hasMessageContaining("'Erf'")
        .hasMessageContaining("node 'op'");
  }

  @Test
  void unsupportedAttributeValueIsRefusedToo() throws Exception {
    var attrs = new ObjectMapper().readTree("{\"batch_dims\": {\"i\": 1}}");
    var indices = TfTensor.ofLongs(TfDType.INT32, new long[] {2}, new long[] {0, 1});
    var axis = TfTensor.ofLongs(TfDType.INT32, new long[0], new long[] {1});
    var model = OneOpGraph.of("GatherV2", attrs, List.of(X, indices, axis));
    assertThatThrownBy(() -> TfjsToOnnx.convert(model, "m"))
        .isInstanceOf(UnsupportedOpException.class)
        .hasMessageContaining("'GatherV2'")
        .hasMessageContaining("'op'")
        .hasMessageContaining("batch_dims 1");
  }

  @Test
  void nonConstantFilterIsRefused() throws Exception {
    var attrs =
        new ObjectMapper()
            .readTree("{\"padding\": {\"s\": \"SAME\"}, \"strides\": {\"ints\": [1,1,1,1]}}");
    var model =
        OneOpGraph.of(
            "Conv2D", attrs, List.of(TfTensor.ofFloats(new long[] {1, 2, 2, 1}, new float[4])));
    // OneOpGraph gives the op only input 0; the missing filter input must be reported, not crash.
    assertThatThrownBy(() -> TfjsToOnnx.convert(model, "m"))
        .isInstanceOf(UnsupportedOpException.class)
        .hasMessageContaining("'Conv2D'");
  }
}
