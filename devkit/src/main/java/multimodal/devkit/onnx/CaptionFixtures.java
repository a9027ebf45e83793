package multimodal.devkit.onnx;

import static multimodal.devkit.onnx.OnnxModelWriter.FLOAT;
import static multimodal.devkit.onnx.OnnxModelWriter.INT64;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;

/**
 * A tiny captioning model in the ViT-GPT2 layout of {@code Xenova/vit-gpt2-image-captioning}
 * (docs/models.md §3.2: {@code onnx/encoder_model.onnx} and {@code onnx/decoder_model_merged.onnx}
 * with the real input/output names, dtypes, 12 layers × 12 heads × 64 of KV cache, hidden width
 * 768, {@code use_cache_branch}) whose greedy caption names the colour and the shape of a generated
 * picture: "a red square", "a blue circle".
 *
 * <p>The picture it understands: a filled square or circle of one of {@link #COLOURS}, centred on a
 * white background and about 5/7 of the image wide. How:
 *
 * <ul>
 *   <li>encoder: 16×16 average pooling → 196 patch tokens whose dims 0..2 are the patch's mean
 *       normalised R, G, B (ViT mean/std 0.5), plus a CLS token (mean of all patches): {@code
 *       last_hidden_state [B,197,768]};
 *   <li>decoder: reads the centre patch (the shape's colour) and a patch at 1/7 of the width and
 *       height from the top-left corner (inside a square, outside a circle); scores colour words by
 *       nearest colour and the two shape words by how white that corner patch is; the position
 *       ({@code past length + offset}) selects which word class may come: 0 "a", 1 a colour, 2 a
 *       shape, then {@code <|endoftext|>}. Logits are {@code [B,S,vocab]} over a WordLevel {@code
 *       tokenizer.json} generated here (so DJL's tokenizer decodes them);
 *   <li>{@code present.N.* = Concat(past_key_values.N.*, zeros[B,12,S,64])}: the cache grows by one
 *       per step like the real one. The real merged graph picks that branch with an {@code If} on
 *       {@code use_cache_branch}; here both branches are the same (concatenating a zero-length past
 *       is a no-op), so the flag is consumed with weight 0.
 * </ul>
 *
 * Recomputing without the cache (whole sequence, empty past) gives the same tokens, since the
 * position is past length + offset either way. Deterministic: the same bytes every time.
 */
public final class CaptionFixtures {
  public static final String VERSION = "fixture-caption-1";
  public static final int SIZE = 224;
  public static final int PATCH = 16;
  public static final int GRID = SIZE / PATCH; // 14
  public static final int HIDDEN = 768;
  public static final int LAYERS = 12;
  public static final int HEADS = 12;
  public static final int HEAD_DIM = 64;

  /** Colour words and the sRGB of that colour, in a fixed order. */
  public static final Map<String, int[]> COLOURS = colours();

  public static final List<String> SHAPES = List.of("square", "circle");
  public static final String EOS = "<|endoftext|>";

  private static final int CENTRE_PATCH = 1 + (GRID / 2) * GRID + GRID / 2; // +1: CLS first
  private static final int CORNER_PATCH = 1 + 2 * GRID + 2;
  private static final int POSITIONS = 8;
  private static final float HIGH = 10f;
  private static final float BLOCKED = -100f;

  private static Map<String, int[]> colours() {
    Map<String, int[]> colours = new LinkedHashMap<>();
    colours.put("red", new int[] {255, 0, 0});
    colours.put("green", new int[] {0, 255, 0});
    colours.put("blue", new int[] {0, 0, 255});
    colours.put("yellow", new int[] {255, 255, 0});
    colours.put("black", new int[] {0, 0, 0});
    return colours;
  }

  /** Vocabulary of the generated tokenizer: id = index. */
  public static List<String> vocabulary() {
    List<String> words = new ArrayList<>();
    words.add(EOS);
    words.add("a");
    words.addAll(COLOURS.keySet());
    words.addAll(SHAPES);
    words.add("[UNK]");
    return words;
  }

  /** The files of the ViT-GPT2-layout model directory, by relative path. */
  public Map<String, byte[]> vitGpt2Files() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("onnx/encoder_model.onnx", vitEncoder());
    files.put("onnx/decoder_model_merged.onnx", gpt2Decoder());
    files.put(
        "tokenizer.json",
        FixtureJson.wordLevelTokenizer(vocabulary(), List.of(EOS), "[UNK]", null));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model_type", "vision-encoder-decoder");
    config.put("model_version", VERSION);
    config.put("fixture", true);
    config.put(
        "description", "demo fixture: names the colour and shape of a centred square or circle");
    config.put("decoder_start_token_id", 0);
    config.put("eos_token_id", 0);
    config.put("pad_token_id", 0);
    config.put(
        "decoder", Map.of("vocab_size", vocabulary().size(), "n_layer", LAYERS, "n_head", HEADS));
    files.put("config.json", FixtureJson.write(config));
    files.put(
        "generation_config.json",
        FixtureJson.write(
            Map.of(
                "decoder_start_token_id",
                0,
                "eos_token_id",
                0,
                "pad_token_id",
                0,
                "max_length",
                20)));
    files.put(
        "preprocessor_config.json",
        FixtureJson.write(
            Map.of(
                "do_resize",
                true,
                "size",
                Map.of("height", SIZE, "width", SIZE),
                "resample",
                2,
                "do_normalize",
                true,
                "image_mean",
                List.of(0.5, 0.5, 0.5),
                "image_std",
                List.of(0.5, 0.5, 0.5))));
    return files;
  }

  byte[] vitEncoder() {
    return new OnnxModelWriter("vit_encoder_fixture")
        .input("pixel_values", FLOAT, "batch_size", 3, SIZE, SIZE)
        .output("last_hidden_state", FLOAT, "batch_size", GRID * GRID + 1, HIDDEN)
        .longInitializer("patch_shape", new long[] {3}, new long[] {0, 3, GRID * GRID})
        .floatInitializer("rgb_to_hidden", new long[] {3, HIDDEN}, select(3, HIDDEN, true))
        .node(
            "AveragePool",
            List.of("pixel_values"),
            List.of("pooled"),
            Attribute.ints("kernel_shape", PATCH, PATCH),
            Attribute.ints("strides", PATCH, PATCH))
        .node("Reshape", List.of("pooled", "patch_shape"), List.of("patch_columns")) // [B,3,196]
        .node(
            "Transpose",
            List.of("patch_columns"),
            List.of("patch_rgb"),
            Attribute.ints("perm", 0, 2, 1))
        .node("MatMul", List.of("patch_rgb", "rgb_to_hidden"), List.of("patches")) // [B,196,768]
        .node(
            "ReduceMean",
            List.of("patches"),
            List.of("cls"),
            Attribute.ints("axes", 1),
            Attribute.of("keepdims", 1L))
        .node(
            "Concat",
            List.of("cls", "patches"),
            List.of("last_hidden_state"),
            Attribute.of("axis", 1L))
        .toByteArray();
  }

  byte[] gpt2Decoder() {
    List<String> vocab = vocabulary();
    int v = vocab.size();
    int c = COLOURS.size();
    OnnxModelWriter model =
        new OnnxModelWriter("gpt2_merged_decoder_fixture")
            .input("input_ids", INT64, "batch_size", "decoder_sequence_length")
            .input("encoder_hidden_states", FLOAT, "batch_size", "encoder_sequence_length", HIDDEN);
    for (int layer = 0; layer < LAYERS; layer++) {
      for (String kind : List.of("key", "value")) {
        model.input(
            "past_key_values." + layer + "." + kind,
            FLOAT,
            "batch_size",
            HEADS,
            "past_sequence_length",
            HEAD_DIM);
      }
    }
    model.input("use_cache_branch", 9 /* BOOL */, 1);
    model.output("logits", FLOAT, "batch_size", "decoder_sequence_length", v);
    for (int layer = 0; layer < LAYERS; layer++) {
      for (String kind : List.of("key", "value")) {
        model.output(
            "present." + layer + "." + kind,
            FLOAT,
            "batch_size",
            HEADS,
            "past_sequence_length + 1",
            HEAD_DIM);
      }
    }

    model
        .longInitializer("zero_i", new long[] {}, new long[] {0})
        .longInitializer("one_i", new long[] {}, new long[] {1})
        .longInitializer("two_i", new long[] {}, new long[] {2})
        .longInitializer("axis_0", new long[] {1}, new long[] {0})
        .longInitializer("heads", new long[] {1}, new long[] {HEADS})
        .longInitializer("head_dim", new long[] {1}, new long[] {HEAD_DIM})
        .floatInitializer("zero_f", new long[] {}, new float[] {0})
        // positions = past length + 0..S-1
        .node("Shape", List.of("input_ids"), List.of("ids_shape"))
        .node("Gather", List.of("ids_shape", "zero_i"), List.of("batch"))
        .node("Gather", List.of("ids_shape", "one_i"), List.of("seq"))
        .node("Shape", List.of("past_key_values.0.key"), List.of("past_shape"))
        .node("Gather", List.of("past_shape", "two_i"), List.of("past_length"))
        .node("Add", List.of("past_length", "seq"), List.of("end"))
        .node("Range", List.of("past_length", "end", "one_i"), List.of("positions"));
    colourShapeLogits(
        model,
        "encoder_hidden_states",
        CENTRE_PATCH,
        CORNER_PATCH,
        "positions",
        vocab,
        0,
        "scores");
    model
        .node(
            "Cast",
            List.of("use_cache_branch"),
            List.of("flag_f"),
            Attribute.of("to", (long) FLOAT))
        .node("Mul", List.of("flag_f", "zero_f"), List.of("flag_zero"))
        .node("Add", List.of("scores", "flag_zero"), List.of("logits"))
        // KV cache: grows by S zero rows per step
        .node("Unsqueeze", List.of("batch", "axis_0"), List.of("batch_1"))
        .node("Unsqueeze", List.of("seq", "axis_0"), List.of("seq_1"))
        .node(
            "Concat",
            List.of("batch_1", "heads", "seq_1", "head_dim"),
            List.of("kv_shape"),
            Attribute.of("axis", 0L))
        .node("Expand", List.of("zero_f", "kv_shape"), List.of("new_kv"));
    for (int layer = 0; layer < LAYERS; layer++) {
      for (String kind : List.of("key", "value")) {
        model.node(
            "Concat",
            List.of("past_key_values." + layer + "." + kind, "new_kv"),
            List.of("present." + layer + "." + kind),
            Attribute.of("axis", 2L));
      }
    }
    return model.toByteArray();
  }

  /**
   * Adds the nodes that turn image tokens into word scores {@code out [B,S,vocab]}: colour words by
   * the centre patch's nearest colour, shape words by the corner patch's whiteness, and which word
   * class may come at each position: {@code first} "a", then a colour, then a shape, then the end
   * token (the vocabulary's {@link #EOS} or {@code </s>}).
   *
   * @param hidden {@code [B, tokens, width]} with a patch's normalised RGB in dims 0..2
   * @param positions int64 {@code [S]} absolute decoder positions
   */
  static void colourShapeLogits(
      OnnxModelWriter model,
      String hidden,
      int centrePatch,
      int cornerPatch,
      String positions,
      List<String> vocab,
      int first,
      String out) {
    int v = vocab.size();
    int c = COLOURS.size();
    int width = HIDDEN;
    // Colour scores: 2 x.v - |v|^2 (= |x|^2 - |x - v|^2, so the nearest colour wins).
    float[] colourWeights = new float[3 * c];
    float[] colourBias = new float[c];
    float[] colourToVocab = new float[c * v];
    int k = 0;
    for (Map.Entry<String, int[]> colour : COLOURS.entrySet()) {
      float[] x = normalised(colour.getValue());
      for (int ch = 0; ch < 3; ch++) {
        colourWeights[ch * c + k] = 2 * x[ch];
        colourBias[k] -= x[ch] * x[ch];
      }
      colourToVocab[k * v + vocab.indexOf(colour.getKey())] = 1;
      k++;
    }
    // Shape scores from the corner patch's whiteness w = R+G+B (3 when white): circle w-2, square
    // 2-w.
    float[] shapeWeights = {-1, 1, -1, 1, -1, 1};
    float[] shapeBias = {2, -2};
    float[] shapeToVocab = new float[2 * v];
    shapeToVocab[vocab.indexOf("square")] = 1;
    shapeToVocab[v + vocab.indexOf("circle")] = 1;
    int end = vocab.contains(EOS) ? vocab.indexOf(EOS) : vocab.indexOf("</s>");
    int rows = first + POSITIONS;
    float[] table = new float[rows * v];
    float[] colourSlot = new float[rows];
    float[] shapeSlot = new float[rows];
    java.util.Arrays.fill(table, BLOCKED);
    for (int t = 0; t <= first; t++) {
      table[t * v + vocab.indexOf("a")] = HIGH;
    }
    for (String colour : COLOURS.keySet()) {
      table[(first + 1) * v + vocab.indexOf(colour)] = 0;
    }
    colourSlot[first + 1] = 1;
    for (String shape : SHAPES) {
      table[(first + 2) * v + vocab.indexOf(shape)] = 0;
    }
    shapeSlot[first + 2] = 1;
    for (int t = first + 3; t < rows; t++) {
      table[t * v + end] = HIGH;
    }
    model
        .longInitializer("centre_index", new long[] {}, new long[] {centrePatch})
        .longInitializer("corner_index", new long[] {}, new long[] {cornerPatch})
        .longInitializer("last_position", new long[] {}, new long[] {rows - 1})
        .longInitializer("axis_1", new long[] {1}, new long[] {1})
        .longInitializer("axes_0_2", new long[] {2}, new long[] {0, 2})
        .floatInitializer("hidden_to_rgb", new long[] {width, 3}, select(width, 3, false))
        .floatInitializer("colour_weights", new long[] {3, c}, colourWeights)
        .floatInitializer("colour_bias", new long[] {c}, colourBias)
        .floatInitializer("colour_to_vocab", new long[] {c, v}, colourToVocab)
        .floatInitializer("shape_weights", new long[] {3, 2}, shapeWeights)
        .floatInitializer("shape_bias", new long[] {2}, shapeBias)
        .floatInitializer("shape_to_vocab", new long[] {2, v}, shapeToVocab)
        .floatInitializer("position_table", new long[] {rows, v}, table)
        .floatInitializer("colour_slot", new long[] {rows}, colourSlot)
        .floatInitializer("shape_slot", new long[] {rows}, shapeSlot)
        .node(
            "Gather", List.of(hidden, "centre_index"), List.of("centre"), Attribute.of("axis", 1L))
        .node(
            "Gather", List.of(hidden, "corner_index"), List.of("corner"), Attribute.of("axis", 1L))
        .node("MatMul", List.of("centre", "hidden_to_rgb"), List.of("centre_rgb"))
        .node("MatMul", List.of("corner", "hidden_to_rgb"), List.of("corner_rgb"))
        .node("MatMul", List.of("centre_rgb", "colour_weights"), List.of("colour_raw"))
        .node("Add", List.of("colour_raw", "colour_bias"), List.of("colour_scores"))
        .node("MatMul", List.of("colour_scores", "colour_to_vocab"), List.of("colour_vocab"))
        .node("MatMul", List.of("corner_rgb", "shape_weights"), List.of("shape_raw"))
        .node("Add", List.of("shape_raw", "shape_bias"), List.of("shape_scores"))
        .node("MatMul", List.of("shape_scores", "shape_to_vocab"), List.of("shape_vocab"))
        .node("Unsqueeze", List.of("colour_vocab", "axis_1"), List.of("colour_vocab3")) // [B,1,V]
        .node("Unsqueeze", List.of("shape_vocab", "axis_1"), List.of("shape_vocab3"))
        .node("Min", List.of(positions, "last_position"), List.of("slots"))
        .node(
            "Gather",
            List.of("position_table", "slots"),
            List.of("base"),
            Attribute.of("axis", 0L)) // [S,V]
        .node(
            "Gather",
            List.of("colour_slot", "slots"),
            List.of("colour_on"),
            Attribute.of("axis", 0L)) // [S]
        .node(
            "Gather", List.of("shape_slot", "slots"), List.of("shape_on"), Attribute.of("axis", 0L))
        .node("Unsqueeze", List.of("colour_on", "axes_0_2"), List.of("colour_on3")) // [1,S,1]
        .node("Unsqueeze", List.of("shape_on", "axes_0_2"), List.of("shape_on3"))
        .node("Mul", List.of("colour_on3", "colour_vocab3"), List.of("colour_part")) // [B,S,V]
        .node("Mul", List.of("shape_on3", "shape_vocab3"), List.of("shape_part"))
        .node("Add", List.of("colour_part", "shape_part"), List.of("image_part"))
        .node("Add", List.of("image_part", "base"), List.of(out));
  }

  /** ViT normalisation of a pure pixel: v / 255 * 2 - 1. */
  public static float[] normalised(int[] rgb) {
    return new float[] {rgb[0] / 127.5f - 1, rgb[1] / 127.5f - 1, rgb[2] / 127.5f - 1};
  }

  /** A [rows, cols] matrix copying the first 3 dims (identity on them). */
  private static float[] select(int rows, int cols, boolean rowsAreRgb) {
    float[] m = new float[rows * cols];
    for (int i = 0; i < 3; i++) {
      m[i * cols + i] = 1;
    }
    return m;
  }
}
