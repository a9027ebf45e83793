package multimodal.encoder.inference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the files of one CLIP model directory are. Only the transformers.js split layout
 * ({@code Xenova/clip-vit-base-patch32}: {@code onnx/text_model.onnx}, {@code
 * onnx/vision_model.onnx}) for now; other layouts (full {@code model.onnx}, Immich) get their own
 * factory method here.
 */
public record ClipModelFiles(
    Path dir,
    Path textModel,
    Path visionModel,
    Path preprocessorConfig,
    Path tokenizer,
    Optional<Path> tokenizerConfig,
    Optional<Path> config) {

  public static final String TEXT_MODEL = "onnx/text_model.onnx";
  public static final String VISION_MODEL = "onnx/vision_model.onnx";
  public static final String PREPROCESSOR_CONFIG = "preprocessor_config.json";
  public static final String TOKENIZER = "tokenizer.json";
  public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  public static final String CONFIG = "config.json";

  /** The split layout under {@code dir}; fails naming the first missing file. */
  public static ClipModelFiles splitLayout(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ModelLoadException("model directory " + dir.toAbsolutePath() + " does not exist");
    }
    return new ClipModelFiles(
        dir,
        required(dir, TEXT_MODEL),
        required(dir, VISION_MODEL),
        required(dir, PREPROCESSOR_CONFIG),
        required(dir, TOKENIZER),
        optional(dir, TOKENIZER_CONFIG),
        optional(dir, CONFIG));
  }

  private static Path required(Path dir, String name) {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException(
          "model directory " + dir.toAbsolutePath() + " has no " + name + " (expected the split layout: "
              + TEXT_MODEL + ", " + VISION_MODEL + ", " + PREPROCESSOR_CONFIG + ", " + TOKENIZER + ")");
    }
    return file;
  }

  private static Optional<Path> optional(Path dir, String name) {
    Path file = dir.resolve(name);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }
}
