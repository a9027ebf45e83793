package multimodal.devkit.onnx;

import static multimodal.devkit.onnx.OnnxModelWriter.FLOAT;
import static multimodal.devkit.onnx.OnnxModelWriter.INT64;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;

/**
 * A shape-faithful ViT-GPT2 captioner with RANDOM weights, for benchmarks only: the real
 * architecture and sizes of {@code nlpconnect/vit-gpt2-image-captioning} (ViT-base encoder: 16×16
 * patches, 197 tokens, 12 pre-LN layers of width 768, 12 heads, MLP 3072; GPT-2 decoder: 12 layers
 * with causal self-attention over a KV cache and cross-attention to the encoder, vocab 50257, 1024
 * positions, LM head tied to the token embedding) and the export's tensor interface (docs/models.md
 * §3.2). About 1 GB of float32 weights: generated on demand, never committed. Its captions are
 * noise; its cost per step is the real model's.
 *
 * <p>Usage: {@code VitGpt2ShapeModel <outDir>} writes {@code <outDir>/vit-gpt2-shape/}.
 */
public final class VitGpt2ShapeModel {
  static final int WIDTH = TransformerLayers.WIDTH;
  static final int HEADS = TransformerLayers.HEADS;
  static final int HEAD_DIM = TransformerLayers.HEAD_DIM;
  static final int LAYERS = 12;
  static final int VOCAB = 50257;
  static final int POSITIONS = 1024;
  static final int IMAGE = 224;
  static final int PATCH = 16;
  static final int TOKENS = (IMAGE / PATCH) * (IMAGE / PATCH) + 1;

  private final TransformerLayers nn = new TransformerLayers(42);

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: VitGpt2ShapeModel <outDir>   (writes <outDir>/vit-gpt2-shape/)");
      System.exit(2);
    }
    Path dir = write(Path.of(args[0]));
    System.out.println("shape-faithful ViT-GPT2 (random weights) ready in " + dir.toAbsolutePath());
  }

  public static Path write(Path outDir) throws IOException {
    Path dir = outDir.resolve("vit-gpt2-shape");
    Files.createDirectories(dir.resolve("onnx"));
    VitGpt2ShapeModel model = new VitGpt2ShapeModel();
    // Each graph is written once (about 1 GB together); a temp file + move leaves no half file.
    if (!Files.exists(dir.resolve("onnx/encoder_model.onnx"))) {
      writeAtomically(dir.resolve("onnx/encoder_model.onnx"), model.encoder());
    }
    if (!Files.exists(dir.resolve("onnx/decoder_model_merged.onnx"))) {
      writeAtomically(dir.resolve("onnx/decoder_model_merged.onnx"), model.decoder());
    }
    Files.writeString(
        dir.resolve("config.json"),
        "{\"model_version\": \"shape-random-1\", \"fixture\": true,"
            + " \"decoder_start_token_id\": 50256, \"eos_token_id\": 50256, \"max_length\": 33}\n",
        StandardCharsets.UTF_8);
    // A GPT-2-sized vocabulary is not needed to decode noise: a WordLevel tokenizer with 50257
    // entries.
    StringBuilder vocab = new StringBuilder();
    for (int i = 0; i < VOCAB; i++) {
      vocab.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":").append(i);
    }
    Files.writeString(
        dir.resolve("tokenizer.json"),
        "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,"
            + "\"added_tokens\":[],\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
            + "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":\"WordLevel\",\"vocab\":{"
            + vocab
            + ",\"[UNK]\":"
            + VOCAB
            + "},\"unk_token\":\"[UNK]\"}}\n",
        StandardCharsets.UTF_8);
    return dir;
  }

  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path temp = Files.createTempFile(target.getParent(), ".shape", ".tmp");
    Files.write(temp, bytes);
    Files.move(
        temp,
        target,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  byte[] encoder() {
    OnnxModelWriter m =
        new OnnxModelWriter("vit_base_shape")
            .input("pixel_values", FLOAT, "batch_size", 3, IMAGE, IMAGE)
            .output("last_hidden_state", FLOAT, "batch_size", TOKENS, WIDTH);
    TransformerLayers.constants(m);
    m.floatInitializer(
            "patch.w",
            new long[] {WIDTH, 3, PATCH, PATCH},
            nn.weights(WIDTH * 3 * PATCH * PATCH, 0.02))
        .floatInitializer("patch.b", new long[] {WIDTH}, new float[WIDTH])
        .floatInitializer("cls", new long[] {1, 1, WIDTH}, nn.weights(WIDTH, 0.02))
        .floatInitializer("pos", new long[] {1, TOKENS, WIDTH}, nn.weights(TOKENS * WIDTH, 0.02))
        .longInitializer("patch_shape", new long[] {3}, new long[] {0, WIDTH, TOKENS - 1})
        .longInitializer("cls_tail", new long[] {2}, new long[] {1, WIDTH})
        .longInitializer("axis_0", new long[] {1}, new long[] {0})
        .longInitializer("zero_i", new long[] {}, new long[] {0})
        .node(
            "Conv",
            List.of("pixel_values", "patch.w", "patch.b"),
            List.of("conv"),
            Attribute.ints("kernel_shape", PATCH, PATCH),
            Attribute.ints("strides", PATCH, PATCH))
        .node("Reshape", List.of("conv", "patch_shape"), List.of("conv_flat"))
        .node(
            "Transpose", List.of("conv_flat"), List.of("patches"), Attribute.ints("perm", 0, 2, 1))
        .node("Shape", List.of("pixel_values"), List.of("px_shape"))
        .node("Gather", List.of("px_shape", "zero_i"), List.of("batch"))
        .node("Unsqueeze", List.of("batch", "axis_0"), List.of("batch_1"))
        .node(
            "Concat",
            List.of("batch_1", "cls_tail"),
            List.of("cls_shape"),
            Attribute.of("axis", 0L))
        .node("Expand", List.of("cls", "cls_shape"), List.of("cls_b"))
        .node("Concat", List.of("cls_b", "patches"), List.of("tokens"), Attribute.of("axis", 1L))
        .node("Add", List.of("tokens", "pos"), List.of("h0"));
    String h = "h0";
    for (int l = 0; l < LAYERS; l++) {
      String p = "enc" + l;
      String x = nn.layerNorm(m, h, p + ".ln1");
      String q = nn.heads(m, nn.linear(m, x, p + ".q", WIDTH, WIDTH), p + ".qh");
      String k = nn.heads(m, nn.linear(m, x, p + ".k", WIDTH, WIDTH), p + ".kh");
      String v = nn.heads(m, nn.linear(m, x, p + ".v", WIDTH, WIDTH), p + ".vh");
      m.node("Add", List.of(h, nn.attention(m, q, k, v, null, p + ".attn")), List.of(p + ".h1"));
      String y = nn.layerNorm(m, p + ".h1", p + ".ln2");
      m.node("Add", List.of(p + ".h1", nn.mlp(m, y, p + ".mlp")), List.of(p + ".h2"));
      h = p + ".h2";
    }
    String out = nn.layerNorm(m, h, "enc.ln_f");
    m.node("Identity", List.of(out), List.of("last_hidden_state"));
    return m.toByteArray();
  }

  byte[] decoder() {
    OnnxModelWriter m =
        new OnnxModelWriter("gpt2_shape")
            .input("input_ids", INT64, "batch_size", "decoder_sequence_length")
            .input("encoder_hidden_states", FLOAT, "batch_size", "encoder_sequence_length", WIDTH);
    for (int l = 0; l < LAYERS; l++) {
      for (String kind : List.of("key", "value")) {
        m.input(
            "past_key_values." + l + "." + kind,
            FLOAT,
            "batch_size",
            HEADS,
            "past_sequence_length",
            HEAD_DIM);
      }
    }
    m.input("use_cache_branch", 9, 1);
    m.output("logits", FLOAT, "batch_size", "decoder_sequence_length", VOCAB);
    for (int l = 0; l < LAYERS; l++) {
      for (String kind : List.of("key", "value")) {
        m.output(
            "present." + l + "." + kind,
            FLOAT,
            "batch_size",
            HEADS,
            "past_sequence_length + 1",
            HEAD_DIM);
      }
    }
    TransformerLayers.constants(m);
    m.floatInitializer("wte", new long[] {VOCAB, WIDTH}, nn.weights(VOCAB * WIDTH, 0.02))
        .floatInitializer("wpe", new long[] {POSITIONS, WIDTH}, nn.weights(POSITIONS * WIDTH, 0.01))
        .longInitializer("one_i", new long[] {}, new long[] {1})
        .longInitializer("two_i", new long[] {}, new long[] {2})
        .longInitializer("zero_i", new long[] {}, new long[] {0})
        .longInitializer("axis_0", new long[] {1}, new long[] {0})
        .longInitializer("axis_1", new long[] {1}, new long[] {1})
        .floatInitializer("masked", new long[] {}, new float[] {-10000f})
        .node("Shape", List.of("input_ids"), List.of("ids_shape"))
        .node("Gather", List.of("ids_shape", "one_i"), List.of("seq"))
        .node("Shape", List.of("past_key_values.0.key"), List.of("past_shape"))
        .node("Gather", List.of("past_shape", "two_i"), List.of("past"))
        .node("Add", List.of("past", "seq"), List.of("total"))
        .node("Range", List.of("past", "total", "one_i"), List.of("positions"))
        .node("Range", List.of("zero_i", "total", "one_i"), List.of("columns"))
        .node("Unsqueeze", List.of("positions", "axis_1"), List.of("rows_col")) // [S,1]
        .node("Unsqueeze", List.of("columns", "axis_0"), List.of("cols_row")) // [1,P+S]
        .node("LessOrEqual", List.of("cols_row", "rows_col"), List.of("allowed"))
        .node("Where", List.of("allowed", "zero_f", "masked"), List.of("causal")) // [S,P+S]
        .node("Gather", List.of("wte", "input_ids"), List.of("tok"), Attribute.of("axis", 0L))
        .node("Gather", List.of("wpe", "positions"), List.of("pos"), Attribute.of("axis", 0L))
        .node("Add", List.of("tok", "pos"), List.of("h0"))
        .node(
            "Cast",
            List.of("use_cache_branch"),
            List.of("flag_f"),
            Attribute.of("to", (long) FLOAT))
        .node("Mul", List.of("flag_f", "zero_f"), List.of("flag_zero"));
    String h = "h0";
    for (int l = 0; l < LAYERS; l++) {
      String p = "dec" + l;
      String x = nn.layerNorm(m, h, p + ".ln1");
      String q = nn.heads(m, nn.linear(m, x, p + ".q", WIDTH, WIDTH), p + ".qh");
      String k = nn.heads(m, nn.linear(m, x, p + ".k", WIDTH, WIDTH), p + ".kh");
      String v = nn.heads(m, nn.linear(m, x, p + ".v", WIDTH, WIDTH), p + ".vh");
      m.node(
              "Concat",
              List.of("past_key_values." + l + ".key", k),
              List.of("present." + l + ".key"),
              Attribute.of("axis", 2L))
          .node(
              "Concat",
              List.of("past_key_values." + l + ".value", v),
              List.of("present." + l + ".value"),
              Attribute.of("axis", 2L));
      String self =
          nn.attention(
              m, q, "present." + l + ".key", "present." + l + ".value", "causal", p + ".self");
      m.node("Add", List.of(h, self), List.of(p + ".h1"));
      // Cross-attention: GPT-2's cache holds self-attention only, so K/V of the image are
      // recomputed.
      String c = nn.layerNorm(m, p + ".h1", p + ".lnc");
      String cq = nn.heads(m, nn.linear(m, c, p + ".cq", WIDTH, WIDTH), p + ".cqh");
      String ck =
          nn.heads(m, nn.linear(m, "encoder_hidden_states", p + ".ck", WIDTH, WIDTH), p + ".ckh");
      String cv =
          nn.heads(m, nn.linear(m, "encoder_hidden_states", p + ".cv", WIDTH, WIDTH), p + ".cvh");
      m.node(
          "Add",
          List.of(p + ".h1", nn.attention(m, cq, ck, cv, null, p + ".cross")),
          List.of(p + ".h2"));
      String y = nn.layerNorm(m, p + ".h2", p + ".ln2");
      m.node("Add", List.of(p + ".h2", nn.mlp(m, y, p + ".mlp")), List.of(p + ".h3"));
      h = p + ".h3";
    }
    String out = nn.layerNorm(m, h, "dec.ln_f");
    m.node("Transpose", List.of("wte"), List.of("lm_head"), Attribute.ints("perm", 1, 0))
        .node("MatMul", List.of(out, "lm_head"), List.of("raw_logits"))
        .node("Add", List.of("raw_logits", "flag_zero"), List.of("logits"));
    return m.toByteArray();
  }
}
