package multimodal.devkit.onnx;

import static multimodal.devkit.onnx.OnnxModelWriter.FLOAT;
import static multimodal.devkit.onnx.OnnxModelWriter.INT64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;

/**
 * A tiny visual-question-answering model in the SmolVLM / Idefics3 layout of transformers.js
 * (docs/models.md §5.1: {@code onnx/vision_encoder.onnx}, {@code onnx/embed_tokens.onnx}, {@code
 * onnx/decoder_model_merged.onnx} with the real names, dtypes, hidden width 576, 30 layers × 3 KV
 * heads × 64, 64 image tokens per 512×512 tile) that answers "what colour …?" and "what shape …?"
 * about a centred square or circle on white (like {@link CaptionFixtures}), and, over several
 * images in one prompt, "which image is red, the first or the second?".
 *
 * <ul>
 *   <li>vision encoder: 64×64 average pooling of each tile → 64 features whose dims 0..2 are the
 *       patch's mean normalised RGB; dim 5 marks the patch at the centre, dim 6 the patch at 1/8 of
 *       the width and height from the top-left corner;
 *   <li>embed_tokens: one row per token of the generated WordLevel tokenizer: "colour"/"color" set
 *       dim 3, "shape" dim 4, every answer word dim 7, {@code <global-img>} (which opens each
 *       image's tokens) dim 8, "first"/"second" dim 9 (a comparison is asked), and each colour word
 *       its normalised RGB in dims 10..12;
 *   <li>decoder: a running count of the {@code <global-img>} markers numbers the images of the
 *       prompt in order (CumSum over the sequence), so each image token knows whether it belongs to
 *       the first, the second or the last image. Each position's features (the last image's centre
 *       and corner RGB, the first and second images' centre RGB, the colour named in the text, the
 *       question kinds) go into the KV cache (layer 0, head 0) and are summed over past + new
 *       positions, so the answer really depends on what earlier steps cached. A colour question
 *       scores the colour words by nearest colour of the last image (the query of a few-shot
 *       prompt; the only image of a single-image one), a shape question the two shapes by that
 *       image's corner whiteness, a comparison "first" and "second" by how near each image's centre
 *       is to the named colour (neither near: no answer); after an answer word comes {@code
 *       <end_of_utterance>}. Other questions get an empty answer.
 * </ul>
 *
 * Image splitting is off in its preprocessor config (one 512×512 global tile), as the real
 * processor allows with {@code do_image_splitting=false}.
 */
public final class VqaFixtures {
  public static final String VERSION = "fixture-vqa-2";
  public static final int TILE = 512;
  public static final int POOL = 64;
  public static final int GRID = TILE / POOL; // 8
  public static final int IMAGE_SEQ = GRID * GRID; // 64
  public static final int HIDDEN = 576;
  public static final int LAYERS = 30;
  public static final int KV_HEADS = 3;
  public static final int HEAD_DIM = 64;

  public static final List<String> SPECIALS =
      List.of(
          "<|endoftext|>",
          "<|im_start|>",
          "<end_of_utterance>",
          "<image>",
          "<fake_token_around_image>",
          "<global-img>");
  private static final List<String> WORDS =
      List.of(
          "user",
          "assistant",
          ":",
          "?",
          ",",
          ".",
          "what",
          "which",
          "colour",
          "color",
          "shape",
          "is",
          "the",
          "this",
          "of",
          "it",
          "a",
          "in",
          "image",
          "picture",
          "thing",
          "object",
          "or",
          "and",
          "one",
          "first",
          "second");

  private static final int CENTRE_PATCH = (GRID / 2) * GRID + GRID / 2;
  private static final int CORNER_PATCH = GRID + 1;

  /** Features each position puts into the KV cache (of {@link #HEAD_DIM}). */
  private static final int FEATURES = 18;

  /** Vocabulary: id = index. */
  public static List<String> vocabulary() {
    List<String> vocab = new ArrayList<>(SPECIALS);
    vocab.addAll(WORDS);
    vocab.addAll(CaptionFixtures.COLOURS.keySet());
    vocab.addAll(CaptionFixtures.SHAPES);
    vocab.add("[UNK]");
    return vocab;
  }

  public Map<String, byte[]> smolVlmFiles() {
    List<String> vocab = vocabulary();
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("onnx/vision_encoder.onnx", visionEncoder());
    files.put("onnx/embed_tokens.onnx", embedTokens(vocab));
    files.put("onnx/decoder_model_merged.onnx", decoder(vocab));
    files.put("tokenizer.json", FixtureJson.wordLevelTokenizer(vocab, SPECIALS, "[UNK]", null));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model_type", "idefics3");
    config.put("model_version", VERSION);
    config.put("fixture", true);
    config.put(
        "description",
        "demo fixture: answers what colour / what shape of a centred square or circle, and which"
            + " image (first or second) shows a named colour");
    config.put("image_token_id", vocab.indexOf("<image>"));
    config.put("eos_token_id", vocab.indexOf("<end_of_utterance>"));
    config.put("bos_token_id", vocab.indexOf("<|im_start|>"));
    config.put(
        "text_config",
        Map.of(
            "hidden_size",
            HIDDEN,
            "num_hidden_layers",
            LAYERS,
            "num_key_value_heads",
            KV_HEADS,
            "vocab_size",
            vocab.size()));
    files.put("config.json", FixtureJson.write(config));
    files.put(
        "generation_config.json",
        FixtureJson.write(Map.of("eos_token_id", vocab.indexOf("<end_of_utterance>"))));
    files.put(
        "preprocessor_config.json",
        FixtureJson.write(
            Map.of(
                "do_image_splitting",
                false,
                "size",
                Map.of("longest_edge", TILE),
                "max_image_size",
                Map.of("longest_edge", TILE),
                "image_mean",
                List.of(0.5, 0.5, 0.5),
                "image_std",
                List.of(0.5, 0.5, 0.5))));
    files.put("processor_config.json", FixtureJson.write(Map.of("image_seq_len", IMAGE_SEQ)));
    return files;
  }

  byte[] visionEncoder() {
    float[] rgb = new float[3 * HIDDEN];
    for (int c = 0; c < 3; c++) {
      rgb[c * HIDDEN + c] = 1;
    }
    float[] markers = new float[IMAGE_SEQ * HIDDEN];
    markers[CENTRE_PATCH * HIDDEN + 5] = 1;
    markers[CORNER_PATCH * HIDDEN + 6] = 1;
    return new OnnxModelWriter("smolvlm_vision_fixture")
        .input("pixel_values", FLOAT, "batch_size", "num_images", 3, TILE, TILE)
        .input("pixel_attention_mask", 9 /* BOOL */, "batch_size", "num_images", TILE, TILE)
        .output("image_features", FLOAT, "num_real_images", IMAGE_SEQ, HIDDEN)
        .longInitializer("tile_shape", new long[] {4}, new long[] {-1, 3, TILE, TILE})
        .longInitializer("pooled_shape", new long[] {3}, new long[] {-1, 3, IMAGE_SEQ})
        .floatInitializer("rgb_to_hidden", new long[] {3, HIDDEN}, rgb)
        .floatInitializer("markers", new long[] {IMAGE_SEQ, HIDDEN}, markers)
        .floatInitializer("zero_f", new long[] {}, new float[] {0})
        .node("Reshape", List.of("pixel_values", "tile_shape"), List.of("tiles"))
        .node(
            "AveragePool",
            List.of("tiles"),
            List.of("pooled"),
            Attribute.ints("kernel_shape", POOL, POOL),
            Attribute.ints("strides", POOL, POOL))
        .node("Reshape", List.of("pooled", "pooled_shape"), List.of("columns"))
        .node(
            "Transpose", List.of("columns"), List.of("patch_rgb"), Attribute.ints("perm", 0, 2, 1))
        .node("MatMul", List.of("patch_rgb", "rgb_to_hidden"), List.of("patches"))
        .node("Add", List.of("patches", "markers"), List.of("marked"))
        .node(
            "Cast",
            List.of("pixel_attention_mask"),
            List.of("mask_f"),
            Attribute.of("to", (long) FLOAT))
        .node("ReduceMean", List.of("mask_f"), List.of("mask_mean"), Attribute.of("keepdims", 0L))
        .node("Mul", List.of("mask_mean", "zero_f"), List.of("mask_zero"))
        .node("Add", List.of("marked", "mask_zero"), List.of("image_features"))
        .toByteArray();
  }

  byte[] embedTokens(List<String> vocab) {
    float[] table = new float[vocab.size() * HIDDEN];
    table[vocab.indexOf("colour") * HIDDEN + 3] = 1;
    table[vocab.indexOf("color") * HIDDEN + 3] = 1;
    table[vocab.indexOf("shape") * HIDDEN + 4] = 1;
    for (String word : answerWords()) {
      table[vocab.indexOf(word) * HIDDEN + 7] = 1;
    }
    table[vocab.indexOf("<global-img>") * HIDDEN + 8] = 1;
    for (String ordinal : ORDINALS) {
      table[vocab.indexOf(ordinal) * HIDDEN + 9] = 1;
    }
    for (Map.Entry<String, int[]> colour : CaptionFixtures.COLOURS.entrySet()) {
      float[] x = CaptionFixtures.normalised(colour.getValue());
      System.arraycopy(x, 0, table, vocab.indexOf(colour.getKey()) * HIDDEN + 10, 3);
    }
    return new OnnxModelWriter("smolvlm_embed_tokens_fixture")
        .input("input_ids", INT64, "batch_size", "sequence_length")
        .output("inputs_embeds", FLOAT, "batch_size", "sequence_length", HIDDEN)
        .floatInitializer("embed_table", new long[] {vocab.size(), HIDDEN}, table)
        .node(
            "Gather",
            List.of("embed_table", "input_ids"),
            List.of("inputs_embeds"),
            Attribute.of("axis", 0L))
        .toByteArray();
  }

  /** The answers of a comparison, in image order. */
  private static final List<String> ORDINALS = List.of("first", "second");

  private static List<String> answerWords() {
    List<String> words = new ArrayList<>(CaptionFixtures.COLOURS.keySet());
    words.addAll(CaptionFixtures.SHAPES);
    words.addAll(ORDINALS);
    return words;
  }

  byte[] decoder(List<String> vocab) {
    int v = vocab.size();
    int c = CaptionFixtures.COLOURS.size();
    OnnxModelWriter model =
        new OnnxModelWriter("smolvlm_decoder_fixture")
            .input("inputs_embeds", FLOAT, "batch_size", "sequence_length", HIDDEN)
            .input("attention_mask", INT64, "batch_size", "total_sequence_length")
            .input("position_ids", INT64, "batch_size", "sequence_length");
    for (int layer = 0; layer < LAYERS; layer++) {
      for (String kind : List.of("key", "value")) {
        model.input(
            "past_key_values." + layer + "." + kind,
            FLOAT,
            "batch_size",
            KV_HEADS,
            "past_sequence_length",
            HEAD_DIM);
      }
    }
    model.output("logits", FLOAT, "batch_size", "sequence_length", v);
    for (int layer = 0; layer < LAYERS; layer++) {
      for (String kind : List.of("key", "value")) {
        model.output(
            "present." + layer + "." + kind,
            FLOAT,
            "batch_size",
            KV_HEADS,
            "total_sequence_length",
            HEAD_DIM);
      }
    }
    // Selections from the embedding width.
    model
        .floatInitializer("sel_rgb", new long[] {HIDDEN, 3}, selection(HIDDEN, 0, 1, 2))
        .floatInitializer("sel_centre", new long[] {HIDDEN, 1}, selection(HIDDEN, 5))
        .floatInitializer("sel_corner", new long[] {HIDDEN, 1}, selection(HIDDEN, 6))
        .floatInitializer("sel_qc", new long[] {HIDDEN, 1}, selection(HIDDEN, 3))
        .floatInitializer("sel_qs", new long[] {HIDDEN, 1}, selection(HIDDEN, 4))
        .floatInitializer("sel_answer", new long[] {HIDDEN, 1}, selection(HIDDEN, 7))
        .floatInitializer("sel_image_start", new long[] {HIDDEN, 1}, selection(HIDDEN, 8))
        .floatInitializer("sel_qcompare", new long[] {HIDDEN, 1}, selection(HIDDEN, 9))
        .floatInitializer("sel_named", new long[] {HIDDEN, 3}, selection(HIDDEN, 10, 11, 12));
    // The cached features per position (F of the 64 head dims): the last image's centre RGB
    // (0..2) and corner RGB (3..5), colour and shape questions (6, 7), the first and second
    // images' centre RGB (8..10, 11..13), the colour named in the text (14..16), comparison (17).
    float[] pad = new float[FEATURES * HEAD_DIM];
    for (int i = 0; i < FEATURES; i++) {
      pad[i * HEAD_DIM + i] = 1;
    }
    int[] all = new int[FEATURES];
    for (int i = 0; i < FEATURES; i++) {
      all[i] = i;
    }
    model
        .floatInitializer("pad", new long[] {FEATURES, HEAD_DIM}, pad)
        .floatInitializer("unpad", new long[] {HEAD_DIM, FEATURES}, selection(HEAD_DIM, all))
        .floatInitializer("agg_centre", new long[] {FEATURES, 3}, selection(FEATURES, 0, 1, 2))
        .floatInitializer("agg_corner", new long[] {FEATURES, 3}, selection(FEATURES, 3, 4, 5))
        .floatInitializer("agg_qc", new long[] {FEATURES, 1}, selection(FEATURES, 6))
        .floatInitializer("agg_qs", new long[] {FEATURES, 1}, selection(FEATURES, 7))
        .floatInitializer("agg_first", new long[] {FEATURES, 3}, selection(FEATURES, 8, 9, 10))
        .floatInitializer("agg_second", new long[] {FEATURES, 3}, selection(FEATURES, 11, 12, 13))
        .floatInitializer("agg_named", new long[] {FEATURES, 3}, selection(FEATURES, 14, 15, 16))
        .floatInitializer("agg_qcompare", new long[] {FEATURES, 1}, selection(FEATURES, 17));
    // Scores (same rules as CaptionFixtures).
    float[] colourWeights = new float[3 * c];
    float[] colourBias = new float[c];
    float[] colourToVocab = new float[c * v];
    int k = 0;
    for (Map.Entry<String, int[]> colour : CaptionFixtures.COLOURS.entrySet()) {
      float[] x = CaptionFixtures.normalised(colour.getValue());
      for (int ch = 0; ch < 3; ch++) {
        colourWeights[ch * c + k] = 2 * x[ch];
        colourBias[k] -= x[ch] * x[ch];
      }
      colourToVocab[k * v + vocab.indexOf(colour.getKey())] = 1;
      k++;
    }
    float[] shapeToVocab = new float[2 * v];
    shapeToVocab[vocab.indexOf("square")] = 1;
    shapeToVocab[v + vocab.indexOf("circle")] = 1;
    float[] ordinalToVocab = new float[2 * v];
    ordinalToVocab[vocab.indexOf("first")] = 1;
    ordinalToVocab[v + vocab.indexOf("second")] = 1;
    float[] base = new float[v];
    Arrays.fill(base, -100f);
    float[] colourMask = new float[v];
    float[] shapeMask = new float[v];
    float[] ordinalMask = new float[v];
    for (String word : answerWords()) {
      base[vocab.indexOf(word)] = -5f;
    }
    // The question kind boosts its own answer words only.
    for (String colour : CaptionFixtures.COLOURS.keySet()) {
      colourMask[vocab.indexOf(colour)] = 10f;
    }
    for (String shape : CaptionFixtures.SHAPES) {
      shapeMask[vocab.indexOf(shape)] = 10f;
    }
    for (String ordinal : ORDINALS) {
      ordinalMask[vocab.indexOf(ordinal)] = 10f;
    }
    int eou = vocab.indexOf("<end_of_utterance>");
    base[eou] = 0f;
    float[] eouRow = new float[v];
    Arrays.fill(eouRow, -100f);
    eouRow[eou] = 10f;
    model
        .floatInitializer("colour_weights", new long[] {3, c}, colourWeights)
        .floatInitializer("colour_bias", new long[] {c}, colourBias)
        .floatInitializer("colour_to_vocab", new long[] {c, v}, colourToVocab)
        .floatInitializer("shape_weights", new long[] {3, 2}, new float[] {-1, 1, -1, 1, -1, 1})
        .floatInitializer("shape_bias", new long[] {2}, new float[] {2, -2})
        .floatInitializer("shape_to_vocab", new long[] {2, v}, shapeToVocab)
        .floatInitializer("ordinal_to_vocab", new long[] {2, v}, ordinalToVocab)
        .floatInitializer("base", new long[] {v}, base)
        .floatInitializer("colour_mask", new long[] {v}, colourMask)
        .floatInitializer("shape_mask", new long[] {v}, shapeMask)
        .floatInitializer("ordinal_mask", new long[] {v}, ordinalMask)
        .floatInitializer("eou_row", new long[] {v}, eouRow)
        .floatInitializer("zero_f", new long[] {}, new float[] {0})
        .floatInitializer("one_f", new long[] {}, new float[] {1})
        .floatInitializer("two_f", new long[] {}, new float[] {2})
        .longInitializer("zero_i", new long[] {}, new long[] {0})
        .longInitializer("one_i", new long[] {}, new long[] {1})
        .longInitializer("axis_0", new long[] {1}, new long[] {0})
        .longInitializer("axis_1", new long[] {1}, new long[] {1})
        .longInitializer("axis_last", new long[] {1}, new long[] {-1})
        .longInitializer("axes_1_2", new long[] {2}, new long[] {1, 2})
        .longInitializer("other_heads", new long[] {1}, new long[] {KV_HEADS - 1})
        .longInitializer("all_heads", new long[] {1}, new long[] {KV_HEADS})
        .longInitializer("head_dim", new long[] {1}, new long[] {HEAD_DIM})
        .longInitializer("agg_shape", new long[] {3}, new long[] {0, 1, HEAD_DIM});
    model
        // which image each position belongs to: the count of <global-img> markers so far
        .node("MatMul", List.of("inputs_embeds", "sel_image_start"), List.of("image_start"))
        .node("CumSum", List.of("image_start", "one_i"), List.of("ordinal")) // [B,S,1]
        .node(
            "ReduceMax",
            List.of("ordinal"),
            List.of("images"),
            Attribute.ints("axes", 1),
            Attribute.of("keepdims", 1L))
        .node("Equal", List.of("ordinal", "images"), List.of("in_last_b"))
        .node("Equal", List.of("ordinal", "one_f"), List.of("in_first_b"))
        .node("Equal", List.of("ordinal", "two_f"), List.of("in_second_b"))
        .node("Cast", List.of("in_last_b"), List.of("in_last"), Attribute.of("to", (long) FLOAT))
        .node("Cast", List.of("in_first_b"), List.of("in_first"), Attribute.of("to", (long) FLOAT))
        .node(
            "Cast", List.of("in_second_b"), List.of("in_second"), Attribute.of("to", (long) FLOAT))
        // per-position features -> the KV cache of layer 0, head 0
        .node("MatMul", List.of("inputs_embeds", "sel_rgb"), List.of("rgb"))
        .node("MatMul", List.of("inputs_embeds", "sel_centre"), List.of("is_centre"))
        .node("MatMul", List.of("inputs_embeds", "sel_corner"), List.of("is_corner"))
        .node("MatMul", List.of("inputs_embeds", "sel_qc"), List.of("qc"))
        .node("MatMul", List.of("inputs_embeds", "sel_qs"), List.of("qs"))
        .node("MatMul", List.of("inputs_embeds", "sel_qcompare"), List.of("qcompare"))
        .node("MatMul", List.of("inputs_embeds", "sel_named"), List.of("named"))
        .node("MatMul", List.of("inputs_embeds", "sel_answer"), List.of("is_answer"))
        .node("Mul", List.of("rgb", "is_centre"), List.of("rgb_centre"))
        .node("Mul", List.of("rgb", "is_corner"), List.of("rgb_corner"))
        .node("Mul", List.of("rgb_centre", "in_last"), List.of("last_centre"))
        .node("Mul", List.of("rgb_corner", "in_last"), List.of("last_corner"))
        .node("Mul", List.of("rgb_centre", "in_first"), List.of("first_centre"))
        .node("Mul", List.of("rgb_centre", "in_second"), List.of("second_centre"))
        .node(
            "Concat",
            List.of(
                "last_centre",
                "last_corner",
                "qc",
                "qs",
                "first_centre",
                "second_centre",
                "named",
                "qcompare"),
            List.of("features"),
            Attribute.of("axis", 2L))
        .node("MatMul", List.of("features", "pad"), List.of("feat64"))
        .node("Unsqueeze", List.of("feat64", "axis_1"), List.of("head0")) // [B,1,S,64]
        .node("Shape", List.of("inputs_embeds"), List.of("emb_shape"))
        .node("Gather", List.of("emb_shape", "zero_i"), List.of("batch"))
        .node("Gather", List.of("emb_shape", "one_i"), List.of("seq"))
        .node("Unsqueeze", List.of("batch", "axis_0"), List.of("batch_1"))
        .node("Unsqueeze", List.of("seq", "axis_0"), List.of("seq_1"))
        .node(
            "Concat",
            List.of("batch_1", "other_heads", "seq_1", "head_dim"),
            List.of("rest_shape"),
            Attribute.of("axis", 0L))
        .node(
            "Concat",
            List.of("batch_1", "all_heads", "seq_1", "head_dim"),
            List.of("zeros_shape"),
            Attribute.of("axis", 0L))
        .node("Expand", List.of("zero_f", "rest_shape"), List.of("rest_heads"))
        .node("Expand", List.of("zero_f", "zeros_shape"), List.of("zero_kv"))
        .node(
            "Concat", List.of("head0", "rest_heads"), List.of("new_kv0"), Attribute.of("axis", 1L))
        .node(
            "Concat",
            List.of("past_key_values.0.key", "new_kv0"),
            List.of("present.0.key"),
            Attribute.of("axis", 2L));
    for (int layer = 0; layer < LAYERS; layer++) {
      for (String kind : List.of("key", "value")) {
        if (layer == 0 && kind.equals("key")) {
          continue;
        }
        model.node(
            "Concat",
            List.of("past_key_values." + layer + "." + kind, "zero_kv"),
            List.of("present." + layer + "." + kind),
            Attribute.of("axis", 2L));
      }
    }
    model
        // what the cache knows: the sum over past + new positions
        .node(
            "ReduceSum",
            List.of("present.0.key", "axes_1_2"),
            List.of("summed"),
            Attribute.of("keepdims", 1L))
        .node("Reshape", List.of("summed", "agg_shape"), List.of("summed3")) // [B,1,64]
        .node("MatMul", List.of("summed3", "unpad"), List.of("agg"))
        .node("MatMul", List.of("agg", "agg_centre"), List.of("centre_rgb"))
        .node("MatMul", List.of("agg", "agg_corner"), List.of("corner_rgb"))
        .node("MatMul", List.of("agg", "agg_qc"), List.of("asked_colour_raw"))
        .node("MatMul", List.of("agg", "agg_qs"), List.of("asked_shape_raw"))
        .node("MatMul", List.of("agg", "agg_qcompare"), List.of("asked_compare_raw"))
        .node("MatMul", List.of("agg", "agg_first"), List.of("first_rgb"))
        .node("MatMul", List.of("agg", "agg_second"), List.of("second_rgb"))
        .node("MatMul", List.of("agg", "agg_named"), List.of("named_rgb"))
        // a comparison outranks the colour and shape words it may mention
        .node("Min", List.of("asked_compare_raw", "one_f"), List.of("asked_compare"))
        .node("Sub", List.of("one_f", "asked_compare"), List.of("not_compare"))
        .node("Min", List.of("asked_colour_raw", "one_f"), List.of("asked_colour_any"))
        .node("Min", List.of("asked_shape_raw", "one_f"), List.of("asked_shape_any"))
        .node("Mul", List.of("asked_colour_any", "not_compare"), List.of("asked_colour"))
        .node("Mul", List.of("asked_shape_any", "not_compare"), List.of("asked_shape"))
        .node("MatMul", List.of("centre_rgb", "colour_weights"), List.of("colour_raw"))
        .node("Add", List.of("colour_raw", "colour_bias"), List.of("colour_scores"))
        .node("MatMul", List.of("colour_scores", "colour_to_vocab"), List.of("colour_vocab"))
        .node("MatMul", List.of("corner_rgb", "shape_weights"), List.of("shape_raw"))
        .node("Add", List.of("shape_raw", "shape_bias"), List.of("shape_scores"))
        .node("MatMul", List.of("shape_scores", "shape_to_vocab"), List.of("shape_vocab"))
        // first / second: minus the squared distance of that image's centre to the named colour
        .node("Sub", List.of("first_rgb", "named_rgb"), List.of("first_diff"))
        .node("Sub", List.of("second_rgb", "named_rgb"), List.of("second_diff"))
        .node("Mul", List.of("first_diff", "first_diff"), List.of("first_sq"))
        .node("Mul", List.of("second_diff", "second_diff"), List.of("second_sq"))
        .node(
            "ReduceSum",
            List.of("first_sq", "axis_last"),
            List.of("first_dist"),
            Attribute.of("keepdims", 1L))
        .node(
            "ReduceSum",
            List.of("second_sq", "axis_last"),
            List.of("second_dist"),
            Attribute.of("keepdims", 1L))
        .node(
            "Concat",
            List.of("first_dist", "second_dist"),
            List.of("ordinal_dist"),
            Attribute.of("axis", 2L))
        .node("Neg", List.of("ordinal_dist"), List.of("ordinal_scores"))
        .node("MatMul", List.of("ordinal_scores", "ordinal_to_vocab"), List.of("ordinal_vocab"))
        .node("Mul", List.of("colour_vocab", "asked_colour"), List.of("colour_part"))
        .node("Mul", List.of("shape_vocab", "asked_shape"), List.of("shape_part"))
        .node("Mul", List.of("ordinal_vocab", "asked_compare"), List.of("ordinal_part"))
        .node("Mul", List.of("colour_mask", "asked_colour"), List.of("colour_boost"))
        .node("Mul", List.of("shape_mask", "asked_shape"), List.of("shape_boost"))
        .node("Mul", List.of("ordinal_mask", "asked_compare"), List.of("ordinal_boost"))
        .node("Add", List.of("colour_part", "shape_part"), List.of("image_part"))
        .node("Add", List.of("image_part", "ordinal_part"), List.of("scored"))
        .node("Add", List.of("colour_boost", "shape_boost"), List.of("boost_2"))
        .node("Add", List.of("boost_2", "ordinal_boost"), List.of("answer_boost"))
        .node("Add", List.of("scored", "answer_boost"), List.of("boosted"))
        .node("Add", List.of("boosted", "base"), List.of("answer_logits")) // [B,1,V]
        // after an answer word: end of utterance
        .node("Sub", List.of("one_f", "is_answer"), List.of("not_answer"))
        .node("Mul", List.of("not_answer", "answer_logits"), List.of("keep"))
        .node("Mul", List.of("is_answer", "eou_row"), List.of("stop"))
        .node("Add", List.of("keep", "stop"), List.of("scores"))
        // every input is consumed
        .node(
            "Cast", List.of("attention_mask"), List.of("mask_f"), Attribute.of("to", (long) FLOAT))
        .node("Cast", List.of("position_ids"), List.of("pos_f"), Attribute.of("to", (long) FLOAT))
        .node("ReduceSum", List.of("mask_f"), List.of("mask_sum"), Attribute.of("keepdims", 0L))
        .node("ReduceSum", List.of("pos_f"), List.of("pos_sum"), Attribute.of("keepdims", 0L))
        .node("Add", List.of("mask_sum", "pos_sum"), List.of("unused"))
        .node("Mul", List.of("unused", "zero_f"), List.of("unused_zero"))
        .node("Add", List.of("scores", "unused_zero"), List.of("logits"));
    return model.toByteArray();
  }

  /** A [rows, picks] matrix selecting the given row indices. */
  private static float[] selection(int rows, int... picks) {
    float[] m = new float[rows * picks.length];
    for (int j = 0; j < picks.length; j++) {
      m[picks[j] * picks.length + j] = 1;
    }
    return m;
  }
}
