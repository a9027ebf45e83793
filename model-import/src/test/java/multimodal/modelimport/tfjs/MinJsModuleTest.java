package multimodal.modelimport.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MinJsModuleTest {

  private static final String UMD =
      "!function(t){if(\"object\"==typeof exports&&\"undefined\"!=typeof"
          + " module)module.exports=t();else{this.model=t()}}(function(){return function"
          + " t(e,a,l){return a}({1:[function(t,e,a){e.exports=%s},{}]},{},[1])(1)});";

  @Test
  void objectLiteralBecomesJson() throws Exception {
    String js =
        UMD.formatted(
            "{format:\"graph-model\",ok:!0,no:!1,n:null,x:.5,y:-.25,z:1e-3,"
                + "s:'it\\'s \"q\"',\"input:0\":{dim:[{size:\"-1\"}]},list:[1,.2,{a:true}]}");
    JsonNode json = new ObjectMapper().readTree(MinJsModule.exportedObjectAsJson(js));
    assertThat(json.path("format").asText()).isEqualTo("graph-model");
    assertThat(json.path("ok").asBoolean()).isTrue();
    assertThat(json.path("no").isBoolean()).isTrue();
    assertThat(json.path("no").asBoolean()).isFalse();
    assertThat(json.path("n").isNull()).isTrue();
    assertThat(json.path("x").asDouble()).isEqualTo(0.5);
    assertThat(json.path("y").asDouble()).isEqualTo(-0.25);
    assertThat(json.path("z").asDouble()).isEqualTo(0.001);
    assertThat(json.path("s").asText()).isEqualTo("it's \"q\"");
    assertThat(json.path("input:0").path("dim").get(0).path("size").asText()).isEqualTo("-1");
    assertThat(json.path("list").get(1).asDouble()).isEqualTo(0.2);
  }

  @Test
  void stringExportIsTheShardText() {
    assertThat(MinJsModule.exportedString(UMD.formatted("\"AAECAw==\""))).isEqualTo("AAECAw==");
  }

  @Test
  void codeInsteadOfALiteralIsRefused() {
    assertThatThrownBy(() -> MinJsModule.exportedObjectAsJson(UMD.formatted("{a:window.foo}")))
        .hasMessageContaining("window");
  }
}
