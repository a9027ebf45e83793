package multimodal.encoder.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * The image-processing values of {@code preprocessor_config.json} (Hugging Face {@code
 * CLIPImageProcessor}); docs/models.md §2.2.
 *
 * @param shortestEdge resize target of the short side ({@code size.shortest_edge}, or the older
 *     bare integer {@code size}, read as shortest edge like Python transformers does)
 * @param cropHeight centre-crop height
 * @param cropWidth centre-crop width
 * @param rescaleFactor multiplies 8-bit values, normally 1/255
 * @param mean per-channel mean, R, G, B
 * @param std per-channel standard deviation, R, G, B
 */
public record PreprocessorConfig(
    int shortestEdge,
    int cropHeight,
    int cropWidth,
    double rescaleFactor,
    float[] mean,
    float[] std) {

  /** OpenAI CLIP values, the defaults of {@code CLIPImageProcessor}. */
  public static PreprocessorConfig openAiClip() {
    return new PreprocessorConfig(
        224,
        224,
        224,
        1 / 255.0,
        new float[] {0.48145466f, 0.4578275f, 0.40821073f},
        new float[] {0.26862954f, 0.26130258f, 0.27577711f});
  }

  public static PreprocessorConfig read(Path file) {
    JsonNode root = JsonFiles.read(file);
    PreprocessorConfig defaults = openAiClip();
    JsonNode size = root.path("size");
    int shortest =
        size.isInt() ? size.asInt() : size.path("shortest_edge").asInt(defaults.shortestEdge());
    JsonNode crop = root.path("crop_size");
    int cropHeight = crop.isInt() ? crop.asInt() : crop.path("height").asInt(defaults.cropHeight());
    int cropWidth = crop.isInt() ? crop.asInt() : crop.path("width").asInt(defaults.cropWidth());
    double rescale = root.path("rescale_factor").asDouble(defaults.rescaleFactor());
    float[] mean = triple(root.path("image_mean"), defaults.mean(), file, "image_mean");
    float[] std = triple(root.path("image_std"), defaults.std(), file, "image_std");
    return new PreprocessorConfig(shortest, cropHeight, cropWidth, rescale, mean, std);
  }

  /**
   * OpenCLIP's {@code preprocess_cfg.json} (Immich's {@code visual/}): {@code size} (an int or [h,
   * w]), {@code mean}, {@code std}; resize mode {@code shortest} (the default) then centre crop,
   * like CLIP's. Other resize modes and interpolations are refused rather than approximated.
   */
  public static PreprocessorConfig readOpenClip(Path file) {
    JsonNode root = JsonFiles.read(file);
    PreprocessorConfig defaults = openAiClip();
    JsonNode size = root.path("size");
    int height = size.isArray() ? size.get(0).asInt() : size.asInt(defaults.cropHeight());
    int width =
        size.isArray() ? size.get(size.size() - 1).asInt() : size.asInt(defaults.cropWidth());
    String mode = root.path("resize_mode").asText("shortest");
    if (!mode.equals("shortest")) {
      throw new ModelLoadException(
          file + ": resize_mode '" + mode + "' is not supported (only 'shortest')");
    }
    String interpolation = root.path("interpolation").asText("bicubic");
    if (!interpolation.equals("bicubic")) {
      throw new ModelLoadException(
          file + ": interpolation '" + interpolation + "' is not supported (only 'bicubic')");
    }
    float[] mean = triple(root.path("mean"), defaults.mean(), file, "mean");
    float[] std = triple(root.path("std"), defaults.std(), file, "std");
    return new PreprocessorConfig(Math.min(height, width), height, width, 1 / 255.0, mean, std);
  }

  private static float[] triple(JsonNode node, float[] fallback, Path file, String name) {
    if (node.isMissingNode()) {
      return fallback;
    }
    if (!node.isArray() || node.size() != 3) {
      throw new ModelLoadException(file + ": " + name + " must be an array of three numbers");
    }
    return new float[] {
      (float) node.get(0).asDouble(), (float) node.get(1).asDouble(), (float) node.get(2).asDouble()
    };
  }
}
