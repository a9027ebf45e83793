package multimodal.encoder.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code config.json} says about a model that the service reports: whether it is a generated
 * fixture, its version when the directory names one, and a description.
 */
public record ModelCard(boolean fixture, Optional<String> version, String description) {

  static ModelCard read(Optional<Path> configJson) {
    if (configJson.isEmpty()) {
      return new ModelCard(false, Optional.empty(), "");
    }
    JsonNode root = JsonFiles.read(configJson.get());
    String version = root.path("model_version").asText("");
    return new ModelCard(
        root.path("fixture").asBoolean(false),
        version.isBlank() ? Optional.empty() : Optional.of(version),
        root.path("description").asText(""));
  }
}
