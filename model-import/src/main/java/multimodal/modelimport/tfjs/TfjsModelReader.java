package multimodal.modelimport.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a TF.js graph model from disk: either a model.json (or any .json) with its binary shards
 * beside it, or a directory of bundled ".min.js" modules (model.min.js plus one module per shard,
 * as nsfwjs publishes them).
 */
public final class TfjsModelReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TfjsModelReader() {}

  public static TfjsModel read(Path location) throws IOException {
    if (Files.isDirectory(location)) {
      Path minJs = location.resolve("model.min.js");
      if (Files.exists(minJs)) return readMinJs(location);
      return readJson(location.resolve("model.json"));
    }
    if (location.getFileName().toString().endsWith(".min.js"))
      return readMinJs(location.getParent());
    return readJson(location);
  }

  private static TfjsModel readJson(Path modelJson) throws IOException {
    JsonNode model = JSON.readTree(modelJson.toFile());
    Path dir = modelJson.toAbsolutePath().getParent();
    return parse(model, shardPath -> Files.readAllBytes(dir.resolve(shardPath)));
  }

  private static TfjsModel readMinJs(Path dir) throws IOException {
    String source = Files.readString(dir.resolve("model.min.js"), StandardCharsets.UTF_8);
    JsonNode model = JSON.readTree(MinJsModule.exportedObjectAsJson(source));
    return parse(
        model,
        shardPath ->
            Base64.getDecoder()
                .decode(
                    MinJsModule.exportedString(
                        Files.readString(
                            dir.resolve(shardPath + ".min.js"), StandardCharsets.UTF_8))));
  }

  @FunctionalInterface
  private interface ShardSource {
    byte[] read(String path) throws IOException;
  }

  private static TfjsModel parse(JsonNode model, ShardSource shards) throws IOException {
    if (!"graph-model".equals(model.path("format").asText("graph-model"))) {
      throw new IllegalArgumentException(
          "not a TF.js graph model (format " + model.path("format").asText() + ")");
    }
    List<TfNode> nodes = new ArrayList<>();
    for (JsonNode n : model.path("modelTopology").path("node")) nodes.add(TfNode.fromJson(n));
    if (nodes.isEmpty()) throw new IllegalArgumentException("model has no modelTopology.node list");

    Map<String, TfTensor> weights = new HashMap<>();
    for (JsonNode group : model.path("weightsManifest")) {
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      for (JsonNode p : group.path("paths")) data.write(shards.read(p.asText()));
      weights.putAll(WeightsDecoder.decodeGroup(group.path("weights"), data.toByteArray()));
    }

    JsonNode signature =
        model.has("signature")
            ? model.path("signature")
            : model.path("userDefinedMetadata").path("signature");
    List<String> inputs = signatureNames(signature.path("inputs"));
    List<String> outputs = signatureNames(signature.path("outputs"));
    if (inputs.isEmpty()) {
      nodes.stream().filter(n -> n.op().equals("Placeholder")).forEach(n -> inputs.add(n.name()));
    }
    if (outputs.isEmpty()) outputs.addAll(unconsumed(nodes));
    return new TfjsModel(
        List.copyOf(nodes), Map.copyOf(weights), List.copyOf(inputs), List.copyOf(outputs));
  }

  private static List<String> signatureNames(JsonNode entries) {
    List<String> names = new ArrayList<>();
    for (Iterator<JsonNode> it = entries.elements(); it.hasNext(); ) {
      names.add(stripOutputIndex(it.next().path("name").asText()));
    }
    return names;
  }

  /** "Identity:0" names the node "Identity"; output 0 is the node's only (or first) output. */
  public static String stripOutputIndex(String tensorName) {
    return tensorName.endsWith(":0")
        ? tensorName.substring(0, tensorName.length() - 2)
        : tensorName;
  }

  private static List<String> unconsumed(List<TfNode> nodes) {
    Set<String> consumed = new HashSet<>();
    for (TfNode n : nodes) for (String in : n.inputs()) consumed.add(in.split(":")[0]);
    List<String> out = new ArrayList<>();
    for (TfNode n : nodes) {
      if (!consumed.contains(n.name()) && !n.op().equals("Const")) out.add(n.name());
    }
    return out;
  }
}
