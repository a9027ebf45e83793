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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;

/**
 * A tiny CLIP in the transformers.js split layout ({@code Xenova/clip-vit-base-patch32}) with the
 * real tensor interface (docs/models.md §2.1 a) and weights chosen so that its two towers agree on
 * <b>colour and simple shape</b> ("a red circle", "a blue square", "a green triangle"):
 *
 * <ul>
 *   <li>vision, colour: an "ink" map (how far each pixel is from white: {@code min(1, 3 × Σ(1 −
 *       v_c))} over the channels' 0..1 values, a 1×1 Conv and a Clip) weights the pixels, so dims
 *       0..2 of {@code image_embeds} are the mean normalised R, G, B of the drawn foreground
 *       ({@code Σ (ink + ε) · pixel / Σ (ink + ε)}); for an image without white (a solid colour, a
 *       photo) that is the plain mean as in the colour-only fixture, for a white one it is white;
 *       plus {@link #BIAS} in dim 3 so that no vector is zero;
 *   <li>vision, shape: the ink map averaged over 4×4 cells (a 56×56 grid) and two ratios of fixed
 *       region sums, both independent of the shape's size: {@code diagonals / axes} (the ink on the
 *       two diagonal bands through the centre over the ink on the horizontal and vertical bands: a
 *       square reaches its corners, a circle does not, ≈ {@link #RATIO_SQUARE} vs {@link
 *       #RATIO_CIRCLE}, an apex-up triangle in between) and {@code (bottom − top) / (bottom + top)}
 *       (an apex-up triangle has 3/4 of its ink in the lower half: 0.5; circle and square 0). A
 *       fixed affine map sends each shape's nominal ratios to a one-hot score in {@link #SHAPE_DIM}
 *       + (0 circle, 1 square, 2 triangle), scaled by {@link #SHAPE_WEIGHT}. The scores are gated
 *       to 0 unless the image has a white background (at least 30 % near-white pixels, ramping from
 *       10 %) and some ink (mean ink ramping from 2 % to 6 %), so photos, solid colours and blank
 *       images get no shape and colour-only queries rank them by colour as before;
 *   <li>text: counts how often each colour and shape word's token (looked up in tokenizer.json,
 *       never hard-coded) occurs in {@code input_ids}, and adds up, per colour word, the
 *       normalised-pixel-space RGB of a pure pixel of that colour (CLIP mean/std) in dims 0..2, per
 *       shape word {@link #SHAPE_WEIGHT} in its shape dim, plus the same bias. A text without shape
 *       words has 0 in the shape dims.
 * </ul>
 *
 * <p>What it recognises: a circle, an axis-aligned square or an apex-up isosceles triangle (base =
 * height) of any of the {@link #COLOURS} except white, centred on a white background, its bounding
 * box 40–85 % of the 224-pixel crop's side (tested at 50–80 %). So cosine("a red circle", image of
 * a red circle) is about 1, above "a red square" (shape) and far above "a blue circle" (colour).
 * Like the real export, neither output is L2-normalised. Generation is deterministic: the same
 * bytes every time.
 */
public final class ColourClipFixture {
  public static final int PROJECTION_DIM = 512;
  public static final int CROP = 224;
  public static final float BIAS = 0.1f;
  public static final int BIAS_DIM = 3;
  public static final String VERSION = "fixture-colour-shape-1";

  /** OpenAI CLIP normalisation (docs/models.md §2.2). */
  public static final double[] MEAN = {0.48145466, 0.4578275, 0.40821073};

  public static final double[] STD = {0.26862954, 0.26130258, 0.27577711};

  /** Colour words and the sRGB of a pure pixel of that colour, in a fixed order. */
  public static final Map<String, int[]> COLOURS = colours();

  /** Shape words, in the order of their dims from {@link #SHAPE_DIM}. */
  public static final List<String> SHAPES = List.of("circle", "square", "triangle");

  /** The first shape dim (circle; then square, triangle). */
  public static final int SHAPE_DIM = 4;

  /** Length of a shape's one-hot part, in both towers; the colour part's is about 3 to 4. */
  public static final float SHAPE_WEIGHT = 2f;

  /**
   * Nominal {@code diagonals / axes} ink ratios (measured on rendered shapes; see the class doc).
   */
  static final double RATIO_CIRCLE = 1.03;

  static final double RATIO_SQUARE = 1.44;
  static final double RATIO_TRIANGLE = 1.27;

  /** Nominal {@code (bottom − top) / (bottom + top)} of an apex-up triangle. */
  static final double ASYMMETRY_TRIANGLE = 0.5;

  /** Side of the averaging cells of the shape grid, in crop pixels. */
  private static final int CELL = 4;

  private static final int GRID = CROP / CELL;
  private static final float EPSILON = 0.01f;

  private static final String TOKENIZER_RESOURCE = "/clip/tokenizer.json";
  private static final String TOKENIZER_CONFIG_RESOURCE = "/clip/tokenizer_config.json";

  private final ObjectMapper json =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          // Map.of iterates in a per-JVM order; sorted keys keep the files byte-identical.
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** The files of the model directory, by relative path, in a fixed order. */
  public Map<String, byte[]> files() {
    byte[] tokenizer = resource(TOKENIZER_RESOURCE);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("onnx/text_model.onnx", textModel(wordTokenIds(tokenizer)));
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
    OnnxModelWriter graph =
        new OnnxModelWriter("colour_shape_clip_vision")
            .input("pixel_values", FLOAT, "batch_size", "num_channels", "height", "width")
            .output("image_embeds", FLOAT, "batch_size", PROJECTION_DIM);
    visionNodes(graph, "pixel_values", "image_embeds");
    return graph.toByteArray();
  }

  byte[] textModel(long[] tokenIds) {
    OnnxModelWriter graph =
        new OnnxModelWriter("colour_shape_clip_text")
            .input("input_ids", INT64, "batch_size", "sequence_length")
            .output("text_embeds", FLOAT, "batch_size", PROJECTION_DIM);
    textNodes(graph, "input_ids", tokenIds, "text_embeds");
    return graph.toByteArray();
  }

  /**
   * The text tower, reading int64 {@code ids} {@code [B, S]} and writing {@code out} {@code [B,
   * 512]} (unnormalised); initializers and intermediate values are prefixed {@code text_}.
   *
   * @param tokenIds from {@link #wordTokenIds}: the colour words', then the shape words'
   */
  static void textNodes(OnnxModelWriter graph, String ids, long[] tokenIds, String out) {
    int k = tokenIds.length;
    float[] projection = new float[k * PROJECTION_DIM];
    int row = 0;
    for (int[] rgb : COLOURS.values()) {
      System.arraycopy(normalisedPixel(rgb), 0, projection, row++ * PROJECTION_DIM, 3);
    }
    for (int shape = 0; shape < SHAPES.size(); shape++) {
      projection[row++ * PROJECTION_DIM + SHAPE_DIM + shape] = SHAPE_WEIGHT;
    }
    graph
        .longInitializer("text_word_token_ids", new long[] {k}, tokenIds)
        .longInitializer("text_axis_2", new long[] {1}, new long[] {2})
        .longInitializer("text_axis_1", new long[] {1}, new long[] {1})
        .floatInitializer("text_projection", new long[] {k, PROJECTION_DIM}, projection)
        .floatInitializer("text_bias", new long[] {PROJECTION_DIM}, bias())
        .node("Unsqueeze", List.of(ids, "text_axis_2"), List.of("text_ids_column")) // [B,S,1]
        .node(
            "Equal",
            List.of("text_ids_column", "text_word_token_ids"),
            List.of("text_hits")) // [B,S,K]
        .node(
            "Cast",
            List.of("text_hits"),
            List.of("text_hits_float"),
            Attribute.of("to", (long) FLOAT))
        .node(
            "ReduceSum",
            List.of("text_hits_float", "text_axis_1"),
            List.of("text_counts"), // [B,K]
            Attribute.of("keepdims", 0L))
        .node("MatMul", List.of("text_counts", "text_projection"), List.of("text_projected"))
        .node("Add", List.of("text_projected", "text_bias"), List.of(out));
  }

  /**
   * The vision tower, reading {@code pixels} {@code [B, 3, 224, 224]} and writing {@code out}
   * {@code [B, 512]} (unnormalised); initializers and intermediate values are prefixed {@code
   * image_}.
   */
  static void visionNodes(OnnxModelWriter graph, String pixels, String out) {
    // ink = clip(Σ_c 3 (1 − v_c), 0, 1) with v_c = x_c · std_c + mean_c: a 1×1 convolution.
    float[] inkWeights = new float[3];
    float inkBias = 0;
    for (int c = 0; c < 3; c++) {
      inkWeights[c] = (float) (-3 * STD[c]);
      inkBias += (float) (3 * (1 - MEAN[c]));
    }
    float[] colourProjection = new float[3 * PROJECTION_DIM];
    for (int c = 0; c < 3; c++) {
      colourProjection[c * PROJECTION_DIM + c] = 1f;
    }
    scalar(graph, "image_zero", 0f);
    scalar(graph, "image_one", 1f);
    scalar(graph, "image_epsilon", EPSILON);
    scalar(graph, "image_minus_ten", -10f);
    scalar(graph, "image_bg_scale", 5f);
    scalar(graph, "image_bg_offset", -0.5f); // background share 10 % → 0, 30 % → 1
    scalar(graph, "image_ink_scale", 25f);
    scalar(graph, "image_ink_offset", -0.5f); // mean ink 2 % → 0, 6 % → 1
    graph
        .floatInitializer("image_ink_weights", new long[] {1, 3, 1, 1}, inkWeights)
        .floatInitializer("image_ink_bias", new long[] {1}, new float[] {inkBias})
        .floatInitializer(
            "image_colour_projection", new long[] {3, PROJECTION_DIM}, colourProjection)
        .floatInitializer("image_bias", new long[] {PROJECTION_DIM}, bias())
        .floatInitializer("image_ratio_numerators", new long[] {GRID * GRID, 2}, regions(true))
        .floatInitializer("image_ratio_denominators", new long[] {GRID * GRID, 2}, regions(false))
        .floatInitializer("image_shape_projection", new long[] {2, PROJECTION_DIM}, shapeMap(false))
        .floatInitializer("image_shape_offset", new long[] {PROJECTION_DIM}, shapeMap(true))
        .node(
            "Conv",
            List.of(pixels, "image_ink_weights", "image_ink_bias"),
            List.of("image_ink_raw"))
        .node(
            "Clip",
            List.of("image_ink_raw", "image_zero", "image_one"),
            List.of("image_ink")) // [B,1,H,W]
        // Colour: the ink-weighted mean of the normalised pixels.
        .node("Add", List.of("image_ink", "image_epsilon"), List.of("image_weight"))
        .node("Mul", List.of(pixels, "image_weight"), List.of("image_weighted"))
        .node("GlobalAveragePool", List.of("image_weighted"), List.of("image_weighted_mean"))
        .node("GlobalAveragePool", List.of("image_weight"), List.of("image_weight_mean"))
        .node(
            "Div",
            List.of("image_weighted_mean", "image_weight_mean"),
            List.of("image_colour_pooled"))
        .node(
            "Flatten",
            List.of("image_colour_pooled"),
            List.of("image_colour"),
            Attribute.of("axis", 1L))
        .node(
            "MatMul",
            List.of("image_colour", "image_colour_projection"),
            List.of("image_colour_projected"))
        .node("Add", List.of("image_colour_projected", "image_bias"), List.of("image_colour_part"))
        // Shape: two size-independent ratios of region sums on the 56×56 grid of mean ink.
        .node(
            "AveragePool",
            List.of("image_ink"),
            List.of("image_grid"),
            Attribute.ints("kernel_shape", CELL, CELL),
            Attribute.ints("strides", CELL, CELL))
        .node("Flatten", List.of("image_grid"), List.of("image_cells"), Attribute.of("axis", 1L))
        .node(
            "MatMul", List.of("image_cells", "image_ratio_numerators"), List.of("image_numerators"))
        .node(
            "MatMul",
            List.of("image_cells", "image_ratio_denominators"),
            List.of("image_denominators_raw"))
        .node(
            "Add",
            List.of("image_denominators_raw", "image_epsilon"),
            List.of("image_denominators"))
        .node(
            "Div",
            List.of("image_numerators", "image_denominators"),
            List.of("image_ratios")) // [B,2]
        .node(
            "MatMul",
            List.of("image_ratios", "image_shape_projection"),
            List.of("image_shape_projected"))
        .node("Add", List.of("image_shape_projected", "image_shape_offset"), List.of("image_shape"))
        // Gate: a white background (near-white share) and some ink, else no shape at all.
        .node("Mul", List.of("image_ink", "image_minus_ten"), List.of("image_background_neg"))
        .node("Add", List.of("image_background_neg", "image_one"), List.of("image_background_raw"))
        .node(
            "Clip",
            List.of("image_background_raw", "image_zero", "image_one"),
            List.of("image_background"))
        .node("GlobalAveragePool", List.of("image_background"), List.of("image_background_share"))
        .node("GlobalAveragePool", List.of("image_ink"), List.of("image_ink_share"))
        .node(
            "Mul", List.of("image_background_share", "image_bg_scale"), List.of("image_bg_scaled"))
        .node("Add", List.of("image_bg_scaled", "image_bg_offset"), List.of("image_bg_shifted"))
        .node(
            "Clip",
            List.of("image_bg_shifted", "image_zero", "image_one"),
            List.of("image_bg_gate"))
        .node("Mul", List.of("image_ink_share", "image_ink_scale"), List.of("image_ink_scaled"))
        .node("Add", List.of("image_ink_scaled", "image_ink_offset"), List.of("image_ink_shifted"))
        .node(
            "Clip",
            List.of("image_ink_shifted", "image_zero", "image_one"),
            List.of("image_ink_gate"))
        .node("Mul", List.of("image_bg_gate", "image_ink_gate"), List.of("image_gate_pooled"))
        .node(
            "Flatten",
            List.of("image_gate_pooled"),
            List.of("image_gate"),
            Attribute.of("axis", 1L))
        .node("Mul", List.of("image_shape", "image_gate"), List.of("image_shape_part"))
        .node("Add", List.of("image_colour_part", "image_shape_part"), List.of(out));
  }

  /**
   * Region masks over the flattened grid, one column per ratio: numerators (diagonal bands; bottom
   * half minus top half) or denominators (horizontal and vertical bands; both halves). Bands are
   * the cells whose centre lies within one cell of the line through the crop's centre.
   */
  private static float[] regions(boolean numerators) {
    float[] masks = new float[GRID * GRID * 2];
    double centre = GRID / 2.0;
    for (int row = 0; row < GRID; row++) {
      for (int col = 0; col < GRID; col++) {
        double y = row + 0.5 - centre;
        double x = col + 0.5 - centre;
        boolean diagonal = Math.abs(x - y) <= 1 || Math.abs(x + y) <= 1;
        boolean axis = Math.abs(x) <= 1 || Math.abs(y) <= 1;
        int cell = (row * GRID + col) * 2;
        masks[cell] = (numerators ? diagonal : axis) ? 1f : 0f;
        masks[cell + 1] = numerators ? Math.signum((float) y) : 1f;
      }
    }
    return masks;
  }

  /**
   * The affine map from the ratios {@code (d, a)} = (diagonals / axes, vertical asymmetry) to the
   * shape scores, scaled by {@link #SHAPE_WEIGHT}: {@code triangle = a / a_T}; with {@code u = (d −
   * d_C) / (d_S − d_C)} (0 circle, 1 square) and {@code u_T} its triangle value, {@code square = u
   * − u_T · triangle}, {@code circle = 1 − u − (1 − u_T) · triangle}: one-hot at each nominal
   * point.
   *
   * @param offset the constant terms (a {@code [512]} vector) instead of the {@code [2, 512]}
   *     coefficients
   */
  private static float[] shapeMap(boolean offset) {
    double span = RATIO_SQUARE - RATIO_CIRCLE;
    double uTriangle = (RATIO_TRIANGLE - RATIO_CIRCLE) / span;
    // rows: d coefficient, a coefficient, constant; columns: circle, square, triangle
    double[][] map = {
      {-1 / span, 1 / span, 0},
      {
        -(1 - uTriangle) / ASYMMETRY_TRIANGLE,
        -uTriangle / ASYMMETRY_TRIANGLE,
        1 / ASYMMETRY_TRIANGLE
      },
      {1 + RATIO_CIRCLE / span, -RATIO_CIRCLE / span, 0}
    };
    float[] out = new float[(offset ? 1 : 2) * PROJECTION_DIM];
    for (int shape = 0; shape < SHAPES.size(); shape++) {
      if (offset) {
        out[SHAPE_DIM + shape] = (float) (SHAPE_WEIGHT * map[2][shape]);
      } else {
        out[SHAPE_DIM + shape] = (float) (SHAPE_WEIGHT * map[0][shape]);
        out[PROJECTION_DIM + SHAPE_DIM + shape] = (float) (SHAPE_WEIGHT * map[1][shape]);
      }
    }
    return out;
  }

  private static void scalar(OnnxModelWriter graph, String name, float value) {
    graph.floatInitializer(name, new long[] {}, new float[] {value});
  }

  /**
   * The id of each colour word's, then each shape word's end-of-word token ({@code "red</w>"},
   * {@code "circle</w>"}) in tokenizer.json.
   */
  long[] wordTokenIds(byte[] tokenizerJson) {
    JsonNode vocab;
    try {
      vocab = json.readTree(tokenizerJson).path("model").path("vocab");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer.json", e);
    }
    List<String> words = new ArrayList<>(COLOURS.keySet());
    words.addAll(SHAPES);
    long[] ids = new long[words.size()];
    for (int i = 0; i < ids.length; i++) {
      JsonNode id = vocab.get(words.get(i) + "</w>");
      if (id == null || !id.canConvertToLong()) {
        throw new IllegalStateException(
            "tokenizer.json has no single token for '" + words.get(i) + "'");
      }
      ids[i] = id.asLong();
    }
    return ids;
  }

  static float[] bias() {
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
            + " Xenova/clip-vit-base-patch32 (split layout). Both towers embed colour and simple"
            + " shape only: the image tower the mean normalised RGB of its non-white pixels and,"
            + " on a white background, whether a centred circle, square or apex-up triangle is"
            + " drawn; the text tower the colour words ("
            + String.join(", ", COLOURS.keySet())
            + ") and shape words ("
            + String.join(", ", SHAPES)
            + ") it contains.");
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
