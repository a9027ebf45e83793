package multimodal.generator.inference.diffusion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of a Stable-Diffusion-family ONNX export in the diffusers/Optimum layout: {@code
 * model_index.json}, {@code text_encoder/model.onnx}, {@code unet/model.onnx}, {@code
 * vae_decoder/model.onnx} (+ optional {@code config.json} with {@code scaling_factor}), {@code
 * tokenizer/tokenizer.json} (+ optional {@code tokenizer_config.json}) and {@code
 * scheduler/scheduler_config.json}. Every file the pipeline needs is checked at load, and a missing
 * one is named.
 */
public final class DiffusionExport {
  /** SD 1.x/2.x's latent scaling factor, diffusers' default when the VAE config has none. */
  public static final double DEFAULT_SCALING_FACTOR = 0.18215;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final JsonNode modelIndex;
  private final JsonNode vaeConfig;
  private final JsonNode tokenizerConfig;

  private DiffusionExport(
      Path dir, JsonNode modelIndex, JsonNode vaeConfig, JsonNode tokenizerConfig) {
    this.dir = dir;
    this.modelIndex = modelIndex;
    this.vaeConfig = vaeConfig;
    this.tokenizerConfig = tokenizerConfig;
  }

  /**
   * Opens the export at {@code dir}, checking that every file the pipeline needs is there.
   *
   * @throws IllegalStateException naming the first missing file
   */
  public static DiffusionExport open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("diffusion model directory " + dir + " does not exist");
    }
    DiffusionExport export =
        new DiffusionExport(
            dir,
            JSON.readTree(require(dir.resolve("model_index.json")).toFile()),
            optional(dir.resolve("vae_decoder").resolve("config.json")),
            optional(dir.resolve("tokenizer").resolve("tokenizer_config.json")));
    export.textEncoder();
    export.unet();
    export.vaeDecoder();
    export.tokenizer();
    export.schedulerConfig();
    return export;
  }

  private static Path require(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("missing diffusion model file " + file);
    }
    return file;
  }

  private static JsonNode optional(Path file) throws IOException {
    return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : MissingNode.getInstance();
  }

  public Path dir() {
    return dir;
  }

  Path textEncoder() {
    return require(dir.resolve("text_encoder").resolve("model.onnx"));
  }

  Path unet() {
    return require(dir.resolve("unet").resolve("model.onnx"));
  }

  Path vaeDecoder() {
    return require(dir.resolve("vae_decoder").resolve("model.onnx"));
  }

  /**
   * The tokenizer in Hugging Face's fast format; exports that ship only {@code vocab.json} and
   * {@code merges.txt} need it added (the CLIP ViT-L/14 tokenizer.json serves SD 1.x).
   */
  Path tokenizer() {
    return require(dir.resolve("tokenizer").resolve("tokenizer.json"));
  }

  Path schedulerConfig() {
    return require(dir.resolve("scheduler").resolve("scheduler_config.json"));
  }

  /** The VAE's {@code scaling_factor}; latents are divided by it before decoding. */
  double scalingFactor() {
    JsonNode factor = vaeConfig.path("scaling_factor");
    return factor.isNumber() ? factor.asDouble() : DEFAULT_SCALING_FACTOR;
  }

  /** Pixels per latent cell: 2^(number of VAE blocks − 1), 8 for every SD VAE. */
  int vaeScale() {
    JsonNode blocks = vaeConfig.path("block_out_channels");
    return blocks.isArray() && !blocks.isEmpty() ? 1 << (blocks.size() - 1) : 8;
  }

  /** The tokenizer's context length ({@code model_max_length}), 77 for CLIP. */
  int maxTokens() {
    JsonNode length = tokenizerConfig.path("model_max_length");
    return length.isInt() && length.asInt() > 0 && length.asInt() <= 4096 ? length.asInt() : 77;
  }

  /** The padding token's text: {@code <|endoftext|>} for SD 1.x, {@code !} for SD 2.x. */
  String padToken() {
    JsonNode pad = tokenizerConfig.path("pad_token");
    String text = pad.isTextual() ? pad.asText() : pad.path("content").asText("");
    return text.isEmpty() ? "<|endoftext|>" : text;
  }

  /** {@code model_index.json}'s {@code model_version}, else the directory name. */
  public String version() {
    String version = modelIndex.path("model_version").asText("");
    return version.isEmpty() ? dir.getFileName().toString() : version;
  }

  /** True when model_index.json says this is a generated demo model. */
  public boolean fixture() {
    return modelIndex.path("fixture").asBoolean(false);
  }
}
