package multimodal.modelimport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import multimodal.modelimport.tfjs.TfDType;
import multimodal.modelimport.tfjs.TfNode;
import multimodal.modelimport.tfjs.TfTensor;
import multimodal.modelimport.tfjs.TfjsModel;

/**
 * A graph model of one op, as TF.js would store it: input 0 is the Placeholder "x", the other
 * inputs are Const nodes, and an Identity "out" picks the op's output (op names like "TopKV2:1"
 * pick output 1). Attributes come in a short form ({"s": "SAME"}, {"ints": [..]}, {"strings":
 * [..]}) and are written the way model.json spells them (base64 strings, integer lists as decimal
 * strings).
 */
final class OneOpGraph {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OneOpGraph() {}

  static TfjsModel of(String opWithOutput, JsonNode shortAttrs, List<TfTensor> inputs) {
    String op = opWithOutput.split(":")[0];
    String outputRef = opWithOutput.contains(":") ? "op:" + opWithOutput.split(":")[1] : "op";
    List<TfNode> nodes = new ArrayList<>();
    Map<String, TfTensor> weights = new HashMap<>();
    ObjectNode placeholder = JSON.createObjectNode();
    ArrayNode dims = placeholder.putObject("shape").putObject("shape").putArray("dim");
    for (long d : inputs.get(0).shape()) dims.addObject().put("size", Long.toString(d));
    placeholder
        .putObject("dtype")
        .put("type", inputs.get(0).dtype() == TfDType.FLOAT ? "DT_FLOAT" : "DT_INT32");
    nodes.add(new TfNode("x", "Placeholder", List.of(), placeholder));
    List<String> opInputs = new ArrayList<>(List.of("x"));
    for (int i = 1; i < inputs.size(); i++) {
      String name = "const" + i;
      weights.put(name, inputs.get(i));
      nodes.add(new TfNode(name, "Const", List.of(), JSON.createObjectNode()));
      opInputs.add(name);
    }
    nodes.add(new TfNode("op", op, opInputs, attrs(shortAttrs)));
    nodes.add(new TfNode("out", "Identity", List.of(outputRef), JSON.createObjectNode()));
    return new TfjsModel(nodes, weights, List.of("x"), List.of("out"));
  }

  private static ObjectNode attrs(JsonNode shortAttrs) {
    ObjectNode out = JSON.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = shortAttrs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      ObjectNode a = out.putObject(e.getKey());
      if (v.has("s")) a.put("s", base64(v.get("s").asText()));
      else if (v.has("i")) a.put("i", v.get("i").asText());
      else if (v.has("b")) a.put("b", v.get("b").asBoolean());
      else if (v.has("ints"))
        v.get("ints").forEach(i -> a.with("list").withArray("i").add(i.asText()));
      else if (v.has("strings"))
        v.get("strings").forEach(s -> a.with("list").withArray("s").add(base64(s.asText())));
      else throw new IllegalArgumentException("unknown attr form " + v);
    }
    return out;
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A golden file's {shape, dtype, values} as a tensor. */
  static TfTensor tensor(JsonNode spec) {
    long[] shape = new long[spec.path("shape").size()];
    for (int i = 0; i < shape.length; i++) shape[i] = spec.path("shape").get(i).asLong();
    JsonNode values = spec.path("values");
    if (spec.path("dtype").asText().equals("int32")) {
      long[] l = new long[values.size()];
      for (int i = 0; i < l.length; i++) l[i] = values.get(i).asLong();
      return TfTensor.ofLongs(TfDType.INT32, shape, l);
    }
    float[] f = new float[values.size()];
    for (int i = 0; i < f.length; i++) f[i] = (float) values.get(i).asDouble();
    return TfTensor.ofFloats(shape, f);
  }
}
