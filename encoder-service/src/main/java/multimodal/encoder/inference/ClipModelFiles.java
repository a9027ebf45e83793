package multimodal.encoder.inference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the files of one CLIP model directory are, for each layout of {@link ClipLayout}; the
 * layout is recognised from the files present.
 *
 * @param preprocessorConfig {@code preprocessor_config.json} (Hugging Face) or, for Immich, {@code
 *     visual/preprocess_cfg.json} (OpenCLIP)
 */
public record ClipModelFiles(
    Path dir,
    ClipLayout layout,
    Path textModel,
    Path visionModel,
    Path preprocessorConfig,
    Path tokenizer,
    Optional<Path> tokenizerConfig,
    Optional<Path> config) {

  public static final String TEXT_MODEL = "onnx/text_model.onnx";
  public static final String VISION_MODEL = "onnx/vision_model.onnx";
  public static final String COMBINED_MODEL = "onnx/model.onnx";
  public static final String PREPROCESSOR_CONFIG = "preprocessor_config.json";
  public static final String TOKENIZER = "tokenizer.json";
  public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  public static final String CONFIG = "config.json";
  public static final String IMMICH_TEXT = "textual/model.onnx";
  public static final String IMMICH_VISION = "visual/model.onnx";
  public static final String IMMICH_PREPROCESS = "visual/preprocess_cfg.json";
  public static final String IMMICH_TOKENIZER = "textual/tokenizer.json";
  public static final String IMMICH_TOKENIZER_CONFIG = "textual/tokenizer_config.json";

  /** Recognises the layout under {@code dir}; fails naming what is missing. */
  public static ClipModelFiles detect(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ModelLoadException("model directory " + dir.toAbsolutePath() + " does not exist");
    }
    if (Files.isRegularFile(dir.resolve(TEXT_MODEL))
        || Files.isRegularFile(dir.resolve(VISION_MODEL))) {
      return new ClipModelFiles(
          dir,
          ClipLayout.SPLIT,
          required(dir, TEXT_MODEL),
          required(dir, VISION_MODEL),
          required(dir, PREPROCESSOR_CONFIG),
          required(dir, TOKENIZER),
          optional(dir, TOKENIZER_CONFIG),
          optional(dir, CONFIG));
    }
    if (Files.isDirectory(dir.resolve("textual")) || Files.isDirectory(dir.resolve("visual"))) {
      return new ClipModelFiles(
          dir,
          ClipLayout.IMMICH,
          required(dir, IMMICH_TEXT),
          required(dir, IMMICH_VISION),
          required(dir, IMMICH_PREPROCESS),
          required(dir, IMMICH_TOKENIZER),
          optional(dir, IMMICH_TOKENIZER_CONFIG),
          optional(dir, CONFIG));
    }
    Optional<Path> combined = optional(dir, COMBINED_MODEL).or(() -> optional(dir, "model.onnx"));
    if (combined.isPresent()) {
      return new ClipModelFiles(
          dir,
          ClipLayout.COMBINED,
          combined.get(),
          combined.get(),
          required(dir, PREPROCESSOR_CONFIG),
          required(dir, TOKENIZER),
          optional(dir, TOKENIZER_CONFIG),
          optional(dir, CONFIG));
    }
    throw new ModelLoadException(
        "model directory "
            + dir.toAbsolutePath()
            + " holds no CLIP layout: expected "
            + TEXT_MODEL
            + " + "
            + VISION_MODEL
            + " (split), "
            + COMBINED_MODEL
            + " (combined) or "
            + IMMICH_TEXT
            + " + "
            + IMMICH_VISION
            + " (Immich)");
  }

  /**
   * True when {@link #detect} would find a CLIP layout (used to tell CLIP from text-only models).
   */
  static boolean looksLikeClip(Path dir) {
    return Files.isRegularFile(dir.resolve(TEXT_MODEL))
        || Files.isRegularFile(dir.resolve(VISION_MODEL))
        || Files.isDirectory(dir.resolve("textual"))
        || Files.isDirectory(dir.resolve("visual"))
        || Files.isRegularFile(dir.resolve(PREPROCESSOR_CONFIG));
  }

  private static Path required(Path dir, String name) {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException("model directory " + dir.toAbsolutePath() + " has no " + name);
    }
    return file;
  }

  private static Optional<Path> optional(Path dir, String name) {
    Path file = dir.resolve(name);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }
}
