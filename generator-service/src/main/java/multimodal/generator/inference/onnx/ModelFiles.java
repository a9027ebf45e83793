package multimodal.generator.inference.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** The JSON side files of a Hugging Face model directory (config, generation, preprocessor). */
public final class ModelFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final JsonNode config;
  private final JsonNode generation;
  private final JsonNode preprocessor;

  public ModelFiles(Path dir) throws IOException {
    this.dir = dir;
    this.config = read(dir.resolve("config.json"));
    this.generation = read(dir.resolve("generation_config.json"));
    this.preprocessor = read(dir.resolve("preprocessor_config.json"));
  }

  private static JsonNode read(Path file) throws IOException {
    return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : MissingNode.getInstance();
  }

  /** Another JSON file of the directory; missing node when absent. */
  public JsonNode json(String name) throws IOException {
    return read(dir.resolve(name));
  }

  public Path dir() {
    return dir;
  }

  /** A graph under {@code onnx/}; must exist. */
  public Path onnx(String name) {
    Path file = dir.resolve("onnx").resolve(name + ".onnx");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("missing model file " + file);
    }
    return file;
  }

  public Path tokenizer() {
    Path file = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("missing tokenizer " + file);
    }
    return file;
  }

  public JsonNode config() {
    return config;
  }

  public JsonNode preprocessor() {
    return preprocessor;
  }

  /** A generation setting: generation_config.json first, then config.json (and its decoder). */
  public JsonNode setting(String key) {
    if (generation.has(key)) {
      return generation.get(key);
    }
    if (config.has(key)) {
      return config.get(key);
    }
    return config.path("decoder").path(key);
  }

  /** {@code eos_token_id} may be one id or a list. */
  public Set<Long> ids(String key) {
    JsonNode node = setting(key);
    Set<Long> ids = new LinkedHashSet<>();
    if (node.isArray()) {
      node.forEach(id -> ids.add(id.asLong()));
    } else if (node.isNumber()) {
      ids.add(node.asLong());
    }
    return ids;
  }

  /** Version label: config.json's {@code model_version}, else the directory name. */
  public String version() {
    String version = config.path("model_version").asText("");
    return version.isEmpty() ? dir.getFileName().toString() : version;
  }

  /** True when config.json says this is a generated demo model. */
  public boolean fixture() {
    return config.path("fixture").asBoolean(false);
  }
}
