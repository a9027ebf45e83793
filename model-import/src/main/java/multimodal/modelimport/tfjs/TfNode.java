package multimodal.modelimport.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One GraphDef node as TF.js stores it in model.json. Data inputs keep TensorFlow's "name" /
 * "name:1" form; control inputs ("^name") only order execution and are dropped.
 */
public record TfNode(String name, String op, List<String> inputs, JsonNode attr) {

  public static TfNode fromJson(JsonNode node) {
    List<String> inputs = new ArrayList<>();
    for (JsonNode in : node.path("input")) {
      if (!in.asText().startsWith("^")) inputs.add(in.asText());
    }
    return new TfNode(
        node.path("name").asText(),
        node.path("op").asText(),
        List.copyOf(inputs),
        node.path("attr"));
  }

  public boolean hasAttr(String key) {
    return attr.has(key);
  }

  /** String attrs are base64-encoded bytes in TF.js's JSON (e.g. padding "U0FNRQ==" = SAME). */
  public String stringAttr(String key, String fallback) {
    JsonNode s = attr.path(key).path("s");
    return s.isMissingNode() ? fallback : decode(s.asText());
  }

  public List<String> stringListAttr(String key) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : attr.path(key).path("list").path("s")) out.add(decode(s.asText()));
    return out;
  }

  public long intAttr(String key, long fallback) {
    JsonNode i = attr.path(key).path("i");
    return i.isMissingNode() ? fallback : Long.parseLong(i.asText());
  }

  public long[] intListAttr(String key) {
    JsonNode list = attr.path(key).path("list").path("i");
    long[] out = new long[list.size()];
    for (int k = 0; k < out.length; k++) out[k] = Long.parseLong(list.get(k).asText());
    return out;
  }

  public float floatAttr(String key, float fallback) {
    JsonNode f = attr.path(key).path("f");
    return f.isMissingNode() ? fallback : (float) f.asDouble();
  }

  public boolean boolAttr(String key, boolean fallback) {
    JsonNode b = attr.path(key).path("b");
    return b.isMissingNode() ? fallback : b.asBoolean();
  }

  public TfDType typeAttr(String key) {
    return TfDType.parse(attr.path(key).path("type").asText("DT_FLOAT"));
  }

  /** Placeholder shape; -1 marks an unknown (dynamic) dimension. */
  public long[] shapeAttr() {
    JsonNode dims = attr.path("shape").path("shape").path("dim");
    long[] out = new long[dims.size()];
    for (int k = 0; k < out.length; k++)
      out[k] = Long.parseLong(dims.get(k).path("size").asText("-1"));
    return out;
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
