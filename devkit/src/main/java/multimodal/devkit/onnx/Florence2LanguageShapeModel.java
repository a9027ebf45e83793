package multimodal.devkit.onnx;

import static multimodal.devkit.onnx.OnnxModelWriter.FLOAT;
import static multimodal.devkit.onnx.OnnxModelWriter.INT64;
import static multimodal.devkit.onnx.TransformerLayers.WIDTH;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;

/**
 * A Florence-2-base language model with the real sizes and RANDOM weights, for benchmarks only:
 * BART-style encoder-decoder (d_model 768, 6 encoder + 6 decoder post-LN layers, 12 heads of 64,
 * FFN 3072, GELU, learned positions with BART's offset of 2, vocab 51289, LM head tied to the token
 * embedding) in the Florence-2 export layout (docs/models.md §4.1): {@code embed_tokens}, {@code
 * encoder_model}, {@code decoder_model_merged} with {@code past_key_values.{i}.decoder.*} and
 * {@code .encoder.*} pasts and {@code use_cache_branch}. As in the real merged export, the
 * cross-attention keys and values of the encoder output are computed on the first step only; the
 * cached branch reuses the {@code .encoder.} pasts (branch-free here: the encoder rows projected
 * are {@code E × (1 − use_cache_branch)}, so the cached step projects none).
 *
 * <p>The vision encoder is NOT DaViT: it is the fixture's stand-in (32×32 average pooling → 577
 * tokens of width 768, see {@link Florence2Fixtures}), so the encoder sequence has the real length
 * (577 image tokens + the prompt's 8) but the vision cost is not the real one. About 600 MB of
 * float32 weights: generated on demand, never committed.
 *
 * <p>Usage: {@code Florence2LanguageShapeModel <outDir>} writes {@code
 * <outDir>/florence2-lm-shape/}.
 */
public final class Florence2LanguageShapeModel {
  static final int LAYERS = 6;
  static final int FFN = TransformerLayers.MLP;
  static final int VOCAB = 51289;

  /** BART's learned positions: 1024 plus the offset of 2. */
  static final int POSITIONS = 1026;

  private final TransformerLayers nn = new TransformerLayers(7);

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println(
          "usage: Florence2LanguageShapeModel <outDir>   (writes <outDir>/florence2-lm-shape/)");
      System.exit(2);
    }
    Path dir = write(Path.of(args[0]));
    System.out.println(
        "shape-faithful Florence-2-base language model (random weights) ready in "
            + dir.toAbsolutePath());
  }

  public static Path write(Path outDir) throws IOException {
    Path dir = outDir.resolve("florence2-lm-shape");
    Files.createDirectories(dir.resolve("onnx"));
    Florence2LanguageShapeModel model = new Florence2LanguageShapeModel();
    float[] table = model.nn.weights(VOCAB * WIDTH, 0.02); // shared by embed_tokens and the LM head
    Map<String, byte[]> sideFiles = new LinkedHashMap<>();
    if (!Files.exists(dir.resolve("onnx/vision_encoder.onnx"))) {
      VitGpt2ShapeModel.writeAtomically(
          dir.resolve("onnx/vision_encoder.onnx"), new Florence2Fixtures().visionEncoder());
    }
    if (!Files.exists(dir.resolve("onnx/embed_tokens.onnx"))) {
      VitGpt2ShapeModel.writeAtomically(dir.resolve("onnx/embed_tokens.onnx"), embedTokens(table));
    }
    if (!Files.exists(dir.resolve("onnx/encoder_model.onnx"))) {
      VitGpt2ShapeModel.writeAtomically(dir.resolve("onnx/encoder_model.onnx"), model.encoder());
    }
    if (!Files.exists(dir.resolve("onnx/decoder_model_merged.onnx"))) {
      VitGpt2ShapeModel.writeAtomically(
          dir.resolve("onnx/decoder_model_merged.onnx"), model.decoder(table));
    }
    List<String> vocab =
        new ArrayList<>(
            List.of(
                "<s>", "<pad>", "</s>", "<unk>", "what", "does", "the", "image", "describe", "?"));
    for (int i = vocab.size(); i < VOCAB; i++) {
      vocab.add("t" + i);
    }
    sideFiles.put(
        "tokenizer.json",
        FixtureJson.wordLevelTokenizer(
            vocab,
            List.of("<s>", "<pad>", "</s>", "<unk>"),
            "<unk>",
            Florence2Fixtures.bartTemplate()));
    sideFiles.put(
        "config.json",
        FixtureJson.write(
            Map.of(
                "model_type",
                "florence2",
                "model_version",
                "shape-random-1",
                "fixture",
                true,
                "decoder_start_token_id",
                2,
                "forced_bos_token_id",
                0,
                "eos_token_id",
                2,
                "max_length",
                33)));
    sideFiles.put(
        "preprocessor_config.json",
        FixtureJson.write(Map.of("size", Map.of("height", 768, "width", 768), "resample", 3)));
    for (Map.Entry<String, byte[]> file : sideFiles.entrySet()) {
      VitGpt2ShapeModel.writeAtomically(dir.resolve(file.getKey()), file.getValue());
    }
    return dir;
  }

  private static byte[] embedTokens(float[] table) {
    return new OnnxModelWriter("florence2_embed_tokens_shape")
        .input("input_ids", INT64, "batch_size", "sequence_length")
        .output("inputs_embeds", FLOAT, "batch_size", "sequence_length", WIDTH)
        .floatInitializer("embed_table", new long[] {VOCAB, WIDTH}, table)
        .node(
            "Gather",
            List.of("embed_table", "input_ids"),
            List.of("inputs_embeds"),
            Attribute.of("axis", 0L))
        .toByteArray();
  }

  /**
   * Constants, positions from {@code first} on for the sequence of {@code source}, embedding
   * LayerNorm.
   */
  private String embed(OnnxModelWriter m, String source, String first, String name) {
    TransformerLayers.constants(m);
    m.floatInitializer(
            name + ".pos_table", new long[] {POSITIONS, WIDTH}, nn.weights(POSITIONS * WIDTH, 0.02))
        .longInitializer("zero_i", new long[] {}, new long[] {0})
        .longInitializer("one_i", new long[] {}, new long[] {1})
        .longInitializer("two_i", new long[] {}, new long[] {2})
        .longInitializer("axes_1_2", new long[] {2}, new long[] {1, 2})
        .floatInitializer("masked", new long[] {}, new float[] {-10000f})
        .node("Shape", List.of(source), List.of("src_shape"))
        .node("Gather", List.of("src_shape", "one_i"), List.of("seq"))
        .node("Add", List.of(first, "seq"), List.of("total"))
        .node("Range", List.of(first, "total", "one_i"), List.of("positions"))
        .node("Add", List.of("positions", "two_i"), List.of("bart_positions")) // BART's offset
        .node(
            "Gather",
            List.of(name + ".pos_table", "bart_positions"),
            List.of(name + ".pos"),
            Attribute.of("axis", 0L))
        .node("Add", List.of(source, name + ".pos"), List.of(name + ".h"));
    return nn.layerNorm(m, name + ".h", name + ".ln_emb");
  }

  /** Additive padding mask {@code [B,1,1,T]} from an int64 {@code [B,T]} mask. */
  private static String paddingMask(OnnxModelWriter m, String mask, String name) {
    m.node("Cast", List.of(mask), List.of(name + ".f"), Attribute.of("to", (long) FLOAT))
        .node("Sub", List.of("one_f", name + ".f"), List.of(name + ".off"))
        .node("Mul", List.of(name + ".off", "masked"), List.of(name + ".add"))
        .node("Unsqueeze", List.of(name + ".add", "axes_1_2"), List.of(name + ".out"));
    return name + ".out";
  }

  /** Post-LN residual block: LayerNorm(x + sublayer). */
  private String residual(OnnxModelWriter m, String x, String sublayer, String name) {
    m.node("Add", List.of(x, sublayer), List.of(name + ".sum"));
    return nn.layerNorm(m, name + ".sum", name + ".ln");
  }

  byte[] encoder() {
    OnnxModelWriter m =
        new OnnxModelWriter("florence2_encoder_shape")
            .input("inputs_embeds", FLOAT, "batch_size", "encoder_sequence_length", WIDTH)
            .input("attention_mask", INT64, "batch_size", "encoder_sequence_length")
            .output("last_hidden_state", FLOAT, "batch_size", "encoder_sequence_length", WIDTH);
    String h = embed(m, "inputs_embeds", "zero_i", "enc");
    String mask = paddingMask(m, "attention_mask", "enc.mask");
    for (int l = 0; l < LAYERS; l++) {
      String p = "enc" + l;
      String q = nn.heads(m, nn.linear(m, h, p + ".q", WIDTH, WIDTH), p + ".qh");
      String k = nn.heads(m, nn.linear(m, h, p + ".k", WIDTH, WIDTH), p + ".kh");
      String v = nn.heads(m, nn.linear(m, h, p + ".v", WIDTH, WIDTH), p + ".vh");
      String h1 = residual(m, h, nn.attention(m, q, k, v, mask, p + ".attn"), p + ".r1");
      h = residual(m, h1, nn.mlp(m, h1, p + ".ffn"), p + ".r2");
    }
    m.node("Identity", List.of(h), List.of("last_hidden_state"));
    return m.toByteArray();
  }

  byte[] decoder(float[] table) {
    OnnxModelWriter m =
        Florence2Fixtures.decoderInterface(
            "florence2_decoder_merged_shape", VOCAB, "present_decoder_sequence_length");
    m.floatInitializer("lm_table", new long[] {VOCAB, WIDTH}, table)
        .longInitializer("past_axis", new long[] {}, new long[] {2})
        .longInitializer("axis_0", new long[] {1}, new long[] {0})
        .longInitializer("axis_1", new long[] {1}, new long[] {1})
        .longInitializer("slice_start", new long[] {1}, new long[] {0})
        .node("Shape", List.of("past_key_values.0.decoder.key"), List.of("past_shape"))
        .node("Gather", List.of("past_shape", "past_axis"), List.of("past"));
    String h = embed(m, "inputs_embeds", "past", "dec");
    String encoderMask = paddingMask(m, "encoder_attention_mask", "dec.enc_mask");
    // Causal mask over past + new positions.
    m.node("Range", List.of("zero_i", "total", "one_i"), List.of("columns"))
        .node("Unsqueeze", List.of("positions", "axis_1"), List.of("rows_col"))
        .node("Unsqueeze", List.of("columns", "axis_0"), List.of("cols_row"))
        .node("LessOrEqual", List.of("cols_row", "rows_col"), List.of("allowed"))
        .node("Where", List.of("allowed", "zero_f", "masked"), List.of("causal"))
        // Cross-attention K/V: the encoder rows to project, E on the first step, 0 when cached.
        .node(
            "Cast",
            List.of("use_cache_branch"),
            List.of("cached_i"),
            Attribute.of("to", (long) INT64))
        .node("Sub", List.of("one_i", "cached_i"), List.of("fresh_i"))
        .node("Shape", List.of("encoder_hidden_states"), List.of("enc_shape"))
        .node("Gather", List.of("enc_shape", "one_i"), List.of("enc_len"))
        .node("Mul", List.of("enc_len", "fresh_i"), List.of("enc_rows")) // [1]
        .node(
            "Slice",
            List.of("encoder_hidden_states", "slice_start", "enc_rows", "axis_1"),
            List.of("enc_source"));
    for (int l = 0; l < LAYERS; l++) {
      String p = "dec" + l;
      String past = "past_key_values." + l + ".";
      String present = "present." + l + ".";
      String q = nn.heads(m, nn.linear(m, h, p + ".q", WIDTH, WIDTH), p + ".qh");
      String k = nn.heads(m, nn.linear(m, h, p + ".k", WIDTH, WIDTH), p + ".kh");
      String v = nn.heads(m, nn.linear(m, h, p + ".v", WIDTH, WIDTH), p + ".vh");
      m.node(
              "Concat",
              List.of(past + "decoder.key", k),
              List.of(present + "decoder.key"),
              Attribute.of("axis", 2L))
          .node(
              "Concat",
              List.of(past + "decoder.value", v),
              List.of(present + "decoder.value"),
              Attribute.of("axis", 2L));
      String self =
          nn.attention(
              m, q, present + "decoder.key", present + "decoder.value", "causal", p + ".self");
      String h1 = residual(m, h, self, p + ".r1");
      String cq = nn.heads(m, nn.linear(m, h1, p + ".cq", WIDTH, WIDTH), p + ".cqh");
      String ck = nn.heads(m, nn.linear(m, "enc_source", p + ".ck", WIDTH, WIDTH), p + ".ckh");
      String cv = nn.heads(m, nn.linear(m, "enc_source", p + ".cv", WIDTH, WIDTH), p + ".cvh");
      m.node(
              "Concat",
              List.of(past + "encoder.key", ck),
              List.of(present + "encoder.key"),
              Attribute.of("axis", 2L))
          .node(
              "Concat",
              List.of(past + "encoder.value", cv),
              List.of(present + "encoder.value"),
              Attribute.of("axis", 2L));
      String cross =
          nn.attention(
              m, cq, present + "encoder.key", present + "encoder.value", encoderMask, p + ".cross");
      String h2 = residual(m, h1, cross, p + ".r2");
      h = residual(m, h2, nn.mlp(m, h2, p + ".ffn"), p + ".r3");
    }
    m.node("Transpose", List.of("lm_table"), List.of("lm_head"), Attribute.ints("perm", 1, 0))
        .node("MatMul", List.of(h, "lm_head"), List.of("logits"));
    return m.toByteArray();
  }
}
