package multimodal.devkit.onnx;

import static multimodal.devkit.onnx.OnnxModelWriter.FLOAT;
import static multimodal.devkit.onnx.OnnxModelWriter.INT64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;

/**
 * A tiny CLIP in the transformers.js split layout ({@code Xenova/clip-vit-base-patch32}) with the
 * real tensor interface (model-formats.md §2.1 a) and weights chosen so that its two towers agree
 * on colour:
 *
 * <ul>
 *   <li>vision: {@code pixel_values} → GlobalAveragePool → Flatten → the image's mean normalised
 *       R, G, B in dims 0..2 of {@code image_embeds}, plus {@link #BIAS} in dim 3 so that no
 *       vector is zero;
 *   <li>text: counts how often each colour word's token (looked up in tokenizer.json, never
 *       hard-coded) occurs in {@code input_ids}, and adds up the normalised-pixel-space RGB
 *       vector of a pure pixel of that colour (CLIP mean/std) in the same dims, plus the same
 *       bias.
 * </ul>
 *
 * So cosine("a red car", image of a red square) is about 1, and far above cosine("a blue car",
 * same image). Like the real export, neither output is L2-normalised. Generation is
 * deterministic: the same bytes every time.
 */
public final class ColourClipFixture {
  public static final int PROJECTION_DIM = 512;
  public static final int CROP = 224;
  public static final float BIAS = 0.1f;
  public static final int BIAS_DIM = 3;
  public static final String VERSION = "fixture-colour-1";

  /** OpenAI CLIP normalisation (model-formats.md §2.2). */
  public static final double[] MEAN = {0.48145466, 0.4578275, 0.40821073};

  public static final double[] STD = {0.26862954, 0.26130258, 0.27577711};

  /** Colour words and the sRGB of a pure pixel of that colour, in a fixed order. */
  public static final Map<String, int[]> COLOURS = colours();

  private static final String TOKENIZER_RESOURCE = "/clip/tokenizer.json";
  private static final String TOKENIZER_CONFIG_RESOURCE = "/clip/tokenizer_config.json";

  private final ObjectMapper json = new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          // Map.of iterates in a per-JVM order; sorted keys keep the files byte-identical.
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** The files of the model directory, by relative path, in a fixed order. */
  public Map<String, byte[]> files() {
    byte[] tokenizer = resource(TOKENIZER_RESOURCE);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("onnx/text_model.onnx", textModel(colourTokenIds(tokenizer)));
    files.put("onnx/vision_model.onnx", visionModel());
    files.put("preprocessor_config.json", preprocessorConfig());
    files.put("tokenizer.json", tokenizer);
    files.put("tokenizer_config.json", resource(TOKENIZER_CONFIG_RESOURCE));
    files.put("config.json", config());
    return files;
  }

  /** Normalised-pixel-space value of a pure pixel: {@code (v / 255 - mean) / std} per channel. */
  public static float[] normalisedPixel(int[] rgb) {
    float[] out = new float[3];
    for (int c = 0; c < 3; c++) {
      out[c] = (float) ((rgb[c] / 255.0 - MEAN[c]) / STD[c]);
    }
    return out;
  }

  byte[] visionModel() {
    float[] projection = new float[3 * PROJECTION_DIM];
    for (int c = 0; c < 3; c++) {
      projection[c * PROJECTION_DIM + c] = 1f;
    }
    return new OnnxModelWriter("colour_clip_vision")
        .input("pixel_values", FLOAT, "batch_size", "num_channels", "height", "width")
        .output("image_embeds", FLOAT, "batch_size", PROJECTION_DIM)
        .floatInitializer("visual_projection", new long[] {3, PROJECTION_DIM}, projection)
        .floatInitializer("bias", new long[] {PROJECTION_DIM}, bias())
        .node("GlobalAveragePool", List.of("pixel_values"), List.of("pooled"))
        .node("Flatten", List.of("pooled"), List.of("mean_rgb"), Attribute.of("axis", 1L))
        .node("MatMul", List.of("mean_rgb", "visual_projection"), List.of("projected"))
        .node("Add", List.of("projected", "bias"), List.of("image_embeds"))
        .toByteArray();
  }

  byte[] textModel(long[] tokenIds) {
    int k = tokenIds.length;
    float[] projection = new float[k * PROJECTION_DIM];
    int row = 0;
    for (int[] rgb : COLOURS.values()) {
      float[] pixel = normalisedPixel(rgb);
      System.arraycopy(pixel, 0, projection, row * PROJECTION_DIM, 3);
      row++;
    }
    return new OnnxModelWriter("colour_clip_text")
        .input("input_ids", INT64, "batch_size", "sequence_length")
        .output("text_embeds", FLOAT, "batch_size", PROJECTION_DIM)
        .longInitializer("colour_token_ids", new long[] {k}, tokenIds)
        .longInitializer("axis_2", new long[] {1}, new long[] {2})
        .longInitializer("axis_1", new long[] {1}, new long[] {1})
        .floatInitializer("text_projection", new long[] {k, PROJECTION_DIM}, projection)
        .floatInitializer("bias", new long[] {PROJECTION_DIM}, bias())
        .node("Unsqueeze", List.of("input_ids", "axis_2"), List.of("ids_column")) // [B,S,1]
        .node("Equal", List.of("ids_column", "colour_token_ids"), List.of("hits")) // [B,S,K]
        .node("Cast", List.of("hits"), List.of("hits_float"), Attribute.of("to", (long) FLOAT))
        .node(
            "ReduceSum",
            List.of("hits_float", "axis_1"),
            List.of("counts"), // [B,K]
            Attribute.of("keepdims", 0L))
        .node("MatMul", List.of("counts", "text_projection"), List.of("projected"))
        .node("Add", List.of("projected", "bias"), List.of("text_embeds"))
        .toByteArray();
  }

  /** The id of each colour word's end-of-word token ({@code "red</w>"}) in tokenizer.json. */
  long[] colourTokenIds(byte[] tokenizerJson) {
    JsonNode vocab;
    try {
      vocab = json.readTree(tokenizerJson).path("model").path("vocab");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer.json", e);
    }
    long[] ids = new long[COLOURS.size()];
    int i = 0;
    for (String word : COLOURS.keySet()) {
      JsonNode id = vocab.get(word + "</w>");
      if (id == null || !id.canConvertToLong()) {
        throw new IllegalStateException("tokenizer.json has no single token for '" + word + "'");
      }
      ids[i++] = id.asLong();
    }
    return ids;
  }

  private static float[] bias() {
    float[] bias = new float[PROJECTION_DIM];
    bias[BIAS_DIM] = BIAS;
    return bias;
  }

  private byte[] preprocessorConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("crop_size", Map.of("height", CROP, "width", CROP));
    config.put("do_center_crop", true);
    config.put("do_convert_rgb", true);
    config.put("do_normalize", true);
    config.put("do_rescale", true);
    config.put("do_resize", true);
    config.put("feature_extractor_type", "CLIPFeatureExtractor");
    config.put("image_mean", MEAN);
    config.put("image_processor_type", "CLIPImageProcessor");
    config.put("image_std", STD);
    config.put("resample", 3);
    config.put("rescale_factor", 1 / 255.0);
    config.put("size", Map.of("shortest_edge", CROP));
    return write(config);
  }

  private byte[] config() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model_type", "clip");
    config.put("projection_dim", PROJECTION_DIM);
    config.put("fixture", true);
    config.put("model_version", VERSION);
    config.put(
        "description",
        "Generated demo/test fixture, not a trained CLIP: same files and tensor interface as"
            + " Xenova/clip-vit-base-patch32 (split layout). Both towers embed colour only: the"
            + " image tower its mean normalised RGB, the text tower the colour words it contains ("
            + String.join(", ", COLOURS.keySet())
            + ").");
    return write(config);
  }

  private byte[] write(Object value) {
    try {
      return (json.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = ColourClipFixture.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  private static Map<String, int[]> colours() {
    Map<String, int[]> colours = new LinkedHashMap<>();
    colours.put("red", new int[] {255, 0, 0});
    colours.put("green", new int[] {0, 255, 0});
    colours.put("blue", new int[] {0, 0, 255});
    colours.put("yellow", new int[] {255, 255, 0});
    colours.put("orange", new int[] {255, 165, 0});
    colours.put("purple", new int[] {128, 0, 128});
    colours.put("pink", new int[] {255, 192, 203});
    colours.put("white", new int[] {255, 255, 255});
    colours.put("black", new int[] {0, 0, 0});
    colours.put("gray", new int[] {128, 128, 128});
    colours.put("grey", new int[] {128, 128, 128});
    colours.put("brown", new int[] {139, 69, 19});
    return Collections.unmodifiableMap(colours);
  }
}
