package multimodal.devkit.onnx;

import static multimodal.devkit.onnx.OnnxModelWriter.FLOAT;
import static multimodal.devkit.onnx.OnnxModelWriter.INT64;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;

/**
 * A tiny captioner in the Florence-2 layout of {@code onnx-community/Florence-2-base}
 * (docs/models.md §4.1, §7.5: four graphs, hidden 768, 6 decoder layers × 12 heads × 64 with {@code
 * .decoder.} and {@code .encoder.} pasts, {@code use_cache_branch}, 577 image tokens for a 768×768
 * input, BART-style {@code <s> … </s>} tokenizer) whose caption names the colour and shape of a
 * centred square or circle ("a red square"), like {@link CaptionFixtures}: 32×32 pooled patches
 * carry RGB; the decoder reads the centre patch and a patch 1/6 in from the top-left corner. It
 * gives the same caption for every task prompt (it does not read the prompt).
 */
public final class Florence2Fixtures {
  public static final String VERSION = "fixture-florence2-1";
  public static final int SIZE = 768;
  public static final int PATCH = 32;
  public static final int GRID = SIZE / PATCH; // 24
  public static final int HIDDEN = CaptionFixtures.HIDDEN;
  public static final int LAYERS = 6;
  public static final int HEADS = 12;
  public static final int HEAD_DIM = 64;

  private static final List<String> SPECIALS = List.of("<s>", "<pad>", "</s>", "<unk>");
  private static final List<String> WORDS =
      List.of(
          "what",
          "does",
          "the",
          "image",
          "describe",
          "?",
          ".",
          "in",
          "detail",
          "is",
          "shown",
          "with",
          "a",
          "paragraph",
          "text");

  public static List<String> vocabulary() {
    List<String> vocab = new ArrayList<>(SPECIALS);
    for (String word : WORDS) {
      if (!vocab.contains(word)) {
        vocab.add(word);
      }
    }
    vocab.addAll(CaptionFixtures.COLOURS.keySet());
    vocab.addAll(CaptionFixtures.SHAPES);
    return vocab;
  }

  public Map<String, byte[]> files() {
    List<String> vocab = vocabulary();
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("onnx/vision_encoder.onnx", visionEncoder());
    files.put(
        "onnx/embed_tokens.onnx",
        new OnnxModelWriter("florence2_embed_tokens_fixture")
            .input("input_ids", INT64, "batch_size", "sequence_length")
            .output("inputs_embeds", FLOAT, "batch_size", "sequence_length", HIDDEN)
            .floatInitializer(
                "embed_table", new long[] {vocab.size(), HIDDEN}, new float[vocab.size() * HIDDEN])
            .node(
                "Gather",
                List.of("embed_table", "input_ids"),
                List.of("inputs_embeds"),
                Attribute.of("axis", 0L))
            .toByteArray());
    files.put(
        "onnx/encoder_model.onnx",
        new OnnxModelWriter("florence2_encoder_fixture")
            .input("inputs_embeds", FLOAT, "batch_size", "encoder_sequence_length", HIDDEN)
            .input("attention_mask", INT64, "batch_size", "encoder_sequence_length")
            .output("last_hidden_state", FLOAT, "batch_size", "encoder_sequence_length", HIDDEN)
            .longInitializer("axis_2", new long[] {1}, new long[] {2})
            .node(
                "Cast",
                List.of("attention_mask"),
                List.of("mask_f"),
                Attribute.of("to", (long) FLOAT))
            .node("Unsqueeze", List.of("mask_f", "axis_2"), List.of("mask3"))
            .node("Mul", List.of("inputs_embeds", "mask3"), List.of("last_hidden_state"))
            .toByteArray());
    files.put("onnx/decoder_model_merged.onnx", decoder(vocab));
    files.put(
        "tokenizer.json", FixtureJson.wordLevelTokenizer(vocab, SPECIALS, "<unk>", bartTemplate()));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model_type", "florence2");
    config.put("model_version", VERSION);
    config.put("fixture", true);
    config.put(
        "description", "demo fixture: names the colour and shape of a centred square or circle");
    config.put("decoder_start_token_id", 2);
    config.put("forced_bos_token_id", 0);
    config.put("bos_token_id", 0);
    config.put("eos_token_id", 2);
    config.put("pad_token_id", 1);
    files.put("config.json", FixtureJson.write(config));
    files.put(
        "generation_config.json",
        FixtureJson.write(
            Map.of(
                "decoder_start_token_id",
                2,
                "forced_bos_token_id",
                0,
                "eos_token_id",
                2,
                "max_length",
                20)));
    files.put(
        "preprocessor_config.json",
        FixtureJson.write(
            Map.of(
                "size",
                Map.of("height", SIZE, "width", SIZE),
                "resample",
                3,
                "image_mean",
                List.of(0.485, 0.456, 0.406),
                "image_std",
                List.of(0.229, 0.224, 0.225))));
    return files;
  }

  byte[] visionEncoder() {
    float[] rgb = new float[3 * HIDDEN];
    for (int c = 0; c < 3; c++) {
      rgb[c * HIDDEN + c] = 1;
    }
    return new OnnxModelWriter("florence2_vision_fixture")
        .input("pixel_values", FLOAT, "batch_size", 3, "height", "width")
        .output("image_features", FLOAT, "batch_size", GRID * GRID + 1, HIDDEN)
        .longInitializer("patch_shape", new long[] {3}, new long[] {0, 3, GRID * GRID})
        .floatInitializer("rgb_to_hidden", new long[] {3, HIDDEN}, rgb)
        .node(
            "AveragePool",
            List.of("pixel_values"),
            List.of("pooled"),
            Attribute.ints("kernel_shape", PATCH, PATCH),
            Attribute.ints("strides", PATCH, PATCH))
        .node("Reshape", List.of("pooled", "patch_shape"), List.of("columns"))
        .node(
            "Transpose", List.of("columns"), List.of("patch_rgb"), Attribute.ints("perm", 0, 2, 1))
        .node("MatMul", List.of("patch_rgb", "rgb_to_hidden"), List.of("patches"))
        .node(
            "ReduceMean",
            List.of("patches"),
            List.of("mean"),
            Attribute.ints("axes", 1),
            Attribute.of("keepdims", 1L))
        .node(
            "Concat",
            List.of("patches", "mean"),
            List.of("image_features"),
            Attribute.of("axis", 1L))
        .toByteArray();
  }

  /**
   * The inputs and outputs of Florence-2's {@code decoder_model_merged.onnx} (docs/models.md §4.1):
   * 6 layers of {@code .decoder.}/{@code .encoder.} pasts and presents, 12 heads of 64, width 768.
   *
   * @param presentDecoderLength the symbolic length of the {@code present.*.decoder.*} outputs
   */
  static OnnxModelWriter decoderInterface(
      String graphName, int vocab, String presentDecoderLength) {
    OnnxModelWriter model =
        new OnnxModelWriter(graphName)
            .input("inputs_embeds", FLOAT, "batch_size", "decoder_sequence_length", HIDDEN)
            .input("encoder_hidden_states", FLOAT, "batch_size", "encoder_sequence_length", HIDDEN)
            .input("encoder_attention_mask", INT64, "batch_size", "encoder_sequence_length");
    for (int layer = 0; layer < LAYERS; layer++) {
      for (String part : List.of("decoder", "encoder")) {
        for (String kind : List.of("key", "value")) {
          model.input(
              "past_key_values." + layer + "." + part + "." + kind,
              FLOAT,
              "batch_size",
              HEADS,
              part.equals("decoder")
                  ? "past_decoder_sequence_length"
                  : "encoder_sequence_length_out",
              HEAD_DIM);
        }
      }
    }
    model.input("use_cache_branch", 9 /* BOOL */, 1);
    model.output("logits", FLOAT, "batch_size", "decoder_sequence_length", vocab);
    for (int layer = 0; layer < LAYERS; layer++) {
      for (String part : List.of("decoder", "encoder")) {
        for (String kind : List.of("key", "value")) {
          model.output(
              "present." + layer + "." + part + "." + kind,
              FLOAT,
              "batch_size",
              HEADS,
              part.equals("decoder") ? presentDecoderLength : "encoder_sequence_length_out",
              HEAD_DIM);
        }
      }
    }
    return model;
  }

  byte[] decoder(List<String> vocab) {
    OnnxModelWriter model =
        decoderInterface(
            "florence2_decoder_fixture", vocab.size(), "past_decoder_sequence_length + 1");
    model
        .longInitializer("zero_i", new long[] {}, new long[] {0})
        .longInitializer("one_i", new long[] {}, new long[] {1})
        .longInitializer("two_i", new long[] {}, new long[] {2})
        .longInitializer("axis_0", new long[] {1}, new long[] {0})
        .longInitializer("heads", new long[] {1}, new long[] {HEADS})
        .longInitializer("head_dim", new long[] {1}, new long[] {HEAD_DIM})
        .floatInitializer("zero_f", new long[] {}, new float[] {0})
        .node("Shape", List.of("inputs_embeds"), List.of("emb_shape"))
        .node("Gather", List.of("emb_shape", "zero_i"), List.of("batch"))
        .node("Gather", List.of("emb_shape", "one_i"), List.of("seq"))
        .node("Shape", List.of("encoder_hidden_states"), List.of("enc_shape"))
        .node("Gather", List.of("enc_shape", "one_i"), List.of("enc_len"))
        .node("Shape", List.of("past_key_values.0.decoder.key"), List.of("past_shape"))
        .node("Gather", List.of("past_shape", "two_i"), List.of("past_length"))
        .node("Add", List.of("past_length", "seq"), List.of("end"))
        .node("Range", List.of("past_length", "end", "one_i"), List.of("positions"));
    // position 0 is the decoder start token, position 1 the forced <s>: "a" comes at position 1.
    CaptionFixtures.colourShapeLogits(
        model,
        "encoder_hidden_states",
        GRID / 2 * GRID + GRID / 2,
        4 * GRID + 4,
        "positions",
        vocab,
        1,
        "scores");
    model
        .node(
            "Cast",
            List.of("use_cache_branch"),
            List.of("flag_f"),
            Attribute.of("to", (long) FLOAT))
        .node(
            "Cast",
            List.of("encoder_attention_mask"),
            List.of("enc_mask_f"),
            Attribute.of("to", (long) FLOAT))
        .node(
            "ReduceSum",
            List.of("enc_mask_f"),
            List.of("enc_mask_sum"),
            Attribute.of("keepdims", 0L))
        .node("Add", List.of("flag_f", "enc_mask_sum"), List.of("unused"))
        .node("Mul", List.of("unused", "zero_f"), List.of("unused_zero"))
        .node("Add", List.of("scores", "unused_zero"), List.of("logits"));
    TransformerLayers.zeroKvRows(model);
    for (int layer = 0; layer < LAYERS; layer++) {
      for (String kind : List.of("key", "value")) {
        model.node(
            "Concat",
            List.of("past_key_values." + layer + ".decoder." + kind, "new_kv"),
            List.of("present." + layer + ".decoder." + kind),
            Attribute.of("axis", 2L));
        model.node(
            "Identity", List.of("cross_kv"), List.of("present." + layer + ".encoder." + kind));
      }
    }
    return model.toByteArray();
  }

  /** BART's post-processor: {@code <s> A </s>} (and {@code <s> A </s> B </s>} for pairs). */
  static Map<String, Object> bartTemplate() {
    Map<String, Object> bos = Map.of("SpecialToken", Map.of("id", "<s>", "type_id", 0));
    Map<String, Object> eos = Map.of("SpecialToken", Map.of("id", "</s>", "type_id", 0));
    Map<String, Object> post = new LinkedHashMap<>();
    post.put("type", "TemplateProcessing");
    post.put("single", List.of(bos, Map.of("Sequence", Map.of("id", "A", "type_id", 0)), eos));
    post.put(
        "pair",
        List.of(
            bos,
            Map.of("Sequence", Map.of("id", "A", "type_id", 0)),
            eos,
            Map.of("Sequence", Map.of("id", "B", "type_id", 1)),
            eos));
    post.put(
        "special_tokens",
        Map.of(
            "<s>", Map.of("id", "<s>", "ids", List.of(0), "tokens", List.of("<s>")),
            "</s>", Map.of("id", "</s>", "ids", List.of(2), "tokens", List.of("</s>"))));
    return post;
  }
}
