package multimodal.generator.inference.diffusion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A diffusers {@code scheduler_config.json}: the scheduler class and its settings. Each scheduler
 * reads the keys it knows with diffusers' own default for that class; options that change the
 * algorithm and are not implemented here (Karras sigmas, thresholding, zero-SNR rescaling) are
 * refused by name rather than ignored.
 */
public final class SchedulerConfig {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String className;
  private final JsonNode json;
  private final String source;

  SchedulerConfig(String className, JsonNode json, String source) {
    this.className = className;
    this.json = json;
    this.source = source;
  }

  /**
   * Reads the file.
   *
   * @param classOverride a scheduler class to use with this file's settings instead of its own
   *     {@code _class_name} (diffusers' {@code from_config} swap; e.g. an export shipped with
   *     PNDMScheduler run with EulerDiscreteScheduler); null or blank keeps the file's
   */
  public static SchedulerConfig read(Path file, String classOverride) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("missing scheduler config " + file);
    }
    JsonNode json = JSON.readTree(file.toFile());
    String className =
        classOverride == null || classOverride.isBlank()
            ? json.path("_class_name").asText("")
            : classOverride.strip();
    if (className.isEmpty()) {
      throw new IllegalStateException(file + " has no _class_name");
    }
    return new SchedulerConfig(className, json, file.toString());
  }

  public String className() {
    return className;
  }

  /**
   * These settings run by another scheduler class (as {@link #read}'s override); null or blank
   * keeps this one.
   */
  SchedulerConfig withClassName(String other) {
    return other == null || other.isBlank()
        ? this
        : new SchedulerConfig(other.strip(), json, source);
  }

  String source() {
    return source;
  }

  int integer(String key, int defaultValue) {
    JsonNode node = json.path(key);
    return node.isNumber() ? node.asInt() : defaultValue;
  }

  double number(String key, double defaultValue) {
    JsonNode node = json.path(key);
    return node.isNumber() ? node.asDouble() : defaultValue;
  }

  boolean flag(String key, boolean defaultValue) {
    JsonNode node = json.path(key);
    return node.isBoolean() ? node.asBoolean() : defaultValue;
  }

  String text(String key, String defaultValue) {
    JsonNode node = json.path(key);
    return node.isTextual() ? node.asText() : defaultValue;
  }

  JsonNode node(String key) {
    return json.path(key);
  }

  PredictionType predictionType() {
    try {
      return PredictionType.parse(text("prediction_type", "epsilon"));
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  /** Fails when {@code key} is set to true: an option this implementation does not have. */
  void refuse(String key) {
    if (flag(key, false)) {
      throw invalid(key + "=true is not supported by " + className);
    }
  }

  IllegalArgumentException invalid(String message) {
    return new IllegalArgumentException(source + ": " + message);
  }
}
