package multimodal.generator.inference.onnx;

import static multimodal.devkit.onnx.OnnxModelWriter.FLOAT;
import static multimodal.devkit.onnx.OnnxModelWriter.INT64;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import multimodal.devkit.onnx.OnnxModelWriter;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;
import multimodal.devkit.onnx.TransformerLayers;

/**
 * A small merged decoder built like the real ViT-GPT2 export (docs/models.md §3.2): the main graph
 * is one {@code If(use_cache_branch)} whose branches are two complete GPT-2-style decoders (with
 * past: self-attention keys/values appended to the past; without: keys/values of the new tokens
 * only) that read {@code encoder_hidden_states} and the shared weights from the outer scope. Each
 * layer has cross-attention whose keys/values project {@code encoder_hidden_states}, with a
 * branch-local {@code Constant} for the head split, and an encoder mask built from {@code
 * Shape(encoder_hidden_states)} as HF builds one when none is given. Random weights; both branches
 * use the same value names, as two traces of the same model do.
 */
final class TinyMergedDecoder {
  static final int WIDTH = 8;
  static final int HEADS = 2;
  static final int HEAD_DIM = 4;
  static final int LAYERS = 2;
  static final int VOCAB = 13;

  private final SplittableRandom random = new SplittableRandom(7);

  /** Layer whose no-past branch computes its cross-attention keys from other weights (or -1). */
  private final int divergentLayer;

  TinyMergedDecoder() {
    this(-1);
  }

  private TinyMergedDecoder(int divergentLayer) {
    this.divergentLayer = divergentLayer;
  }

  /** A variant where the two branches compute the same value name in two different ways. */
  static TinyMergedDecoder divergent() {
    return new TinyMergedDecoder(0);
  }

  byte[] model() {
    OnnxModelWriter m =
        new OnnxModelWriter("tiny_merged_decoder")
            .input("input_ids", INT64, "batch_size", "decoder_sequence_length")
            .input("encoder_hidden_states", FLOAT, "batch_size", "encoder_sequence_length", WIDTH);
    List<String> outputs = new ArrayList<>(List.of("logits"));
    for (int l = 0; l < LAYERS; l++) {
      for (String kind : List.of("key", "value")) {
        m.input(
            "past_key_values." + l + "." + kind,
            FLOAT,
            "batch_size",
            HEADS,
            "past_sequence_length",
            HEAD_DIM);
        outputs.add("present." + l + "." + kind);
      }
    }
    m.input("use_cache_branch", 9, 1);
    declareOutputs(m);
    m.floatInitializer("wte", new long[] {VOCAB, WIDTH}, weights(VOCAB * WIDTH))
        .floatInitializer("lm_head", new long[] {WIDTH, VOCAB}, weights(WIDTH * VOCAB))
        .floatInitializer("scale", new long[] {}, new float[] {0.5f})
        .longInitializer("merge_heads", new long[] {3}, new long[] {0, 0, WIDTH})
        .longInitializer("index_0", new long[] {1}, new long[] {0})
        .longInitializer("index_1", new long[] {1}, new long[] {1})
        .longInitializer("ones_2", new long[] {2}, new long[] {1, 1});
    for (int l = 0; l < LAYERS; l++) {
      for (String w : List.of("q", "k", "v", "cq", "ck", "cv")) {
        m.floatInitializer("l" + l + "." + w, new long[] {WIDTH, WIDTH}, weights(WIDTH * WIDTH));
      }
      if (l == divergentLayer) {
        m.floatInitializer(
            "l" + l + ".ck_other", new long[] {WIDTH, WIDTH}, weights(WIDTH * WIDTH));
      }
      m.floatInitializer("l" + l + ".ck_bias", new long[] {WIDTH}, weights(WIDTH));
    }
    m.node(
        "If",
        List.of("use_cache_branch"),
        outputs,
        Attribute.graph("then_branch", branch(true)),
        Attribute.graph("else_branch", branch(false)));
    return m.toByteArray();
  }

  private static void declareOutputs(OnnxModelWriter m) {
    m.output("logits", FLOAT, "batch_size", "decoder_sequence_length", VOCAB);
    for (int l = 0; l < LAYERS; l++) {
      for (String kind : List.of("key", "value")) {
        m.output(
            "present." + l + "." + kind,
            FLOAT,
            "batch_size",
            HEADS,
            "total_sequence_length",
            HEAD_DIM);
      }
    }
  }

  private OnnxModelWriter branch(boolean withPast) {
    OnnxModelWriter b = new OnnxModelWriter(withPast ? "with_past" : "no_past");
    declareOutputs(b);
    b.node(
            "Constant",
            List.of(),
            List.of("split_heads"),
            Attribute.longTensor("value", new long[] {4}, 0, 0, HEADS, HEAD_DIM))
        .node("Gather", List.of("wte", "input_ids"), List.of("h0"), Attribute.of("axis", 0L))
        // encoder mask: zeros [B,1,1,T] from the encoder output's shape
        .node("Shape", List.of("encoder_hidden_states"), List.of("enc_shape"))
        .node(
            "Gather",
            List.of("enc_shape", "index_0"),
            List.of("enc_batch"),
            Attribute.of("axis", 0L))
        .node(
            "Gather",
            List.of("enc_shape", "index_1"),
            List.of("enc_length"),
            Attribute.of("axis", 0L))
        .node(
            "Concat",
            List.of("enc_batch", "ones_2", "enc_length"),
            List.of("mask_shape"),
            Attribute.of("axis", 0L))
        .node("ConstantOfShape", List.of("mask_shape"), List.of("enc_mask"));
    String h = "h0";
    for (int l = 0; l < LAYERS; l++) {
      String p = "l" + l;
      String q = heads(b, h, p + ".q", p + ".q");
      String k = heads(b, h, p + ".k", p + ".k");
      String v = heads(b, h, p + ".v", p + ".v");
      if (withPast) {
        b.node(
                "Concat",
                List.of("past_key_values." + l + ".key", k),
                List.of("present." + l + ".key"),
                Attribute.of("axis", 2L))
            .node(
                "Concat",
                List.of("past_key_values." + l + ".value", v),
                List.of("present." + l + ".value"),
                Attribute.of("axis", 2L));
      } else {
        b.node("Identity", List.of(k), List.of("present." + l + ".key"))
            .node("Identity", List.of(v), List.of("present." + l + ".value"));
      }
      b.node(
          "Transpose",
          List.of("present." + l + ".key"),
          List.of(p + ".kt"),
          Attribute.ints("perm", 0, 1, 3, 2));
      String self =
          TransformerLayers.attend(
              b, q, p + ".kt", "present." + l + ".value", null, "scale", p + ".self");
      b.node("Add", List.of(h, self), List.of(p + ".h1"));
      // cross-attention: keys/values of the encoder output (what the split hoists)
      String cq = heads(b, p + ".h1", p + ".cq", p + ".cq");
      String keyWeight = withPast || l != divergentLayer ? p + ".ck" : p + ".ck_other";
      b.node("MatMul", List.of("encoder_hidden_states", keyWeight), List.of(p + ".ck.mm"))
          .node("Add", List.of(p + ".ck.mm", p + ".ck_bias"), List.of(p + ".ck.in"));
      String ck = heads(b, p + ".ck.in", null, p + ".ck");
      String cv = heads(b, "encoder_hidden_states", p + ".cv", p + ".cv");
      b.node("Transpose", List.of(ck), List.of(p + ".ckt"), Attribute.ints("perm", 0, 1, 3, 2));
      String cross =
          TransformerLayers.attend(b, cq, p + ".ckt", cv, "enc_mask", "scale", p + ".cross");
      b.node("Add", List.of(p + ".h1", cross), List.of(p + ".h2"));
      h = p + ".h2";
    }
    b.node("MatMul", List.of(h, "lm_head"), List.of("logits"));
    return b;
  }

  /**
   * {@code [B,T,WIDTH]} (times {@code weight} if given) split into {@code [B,HEADS,T,HEAD_DIM]}.
   */
  private static String heads(OnnxModelWriter b, String x, String weight, String name) {
    String in = x;
    if (weight != null) {
      b.node("MatMul", List.of(x, weight), List.of(name + ".proj"));
      in = name + ".proj";
    }
    b.node("Reshape", List.of(in, "split_heads"), List.of(name + ".r"))
        .node(
            "Transpose",
            List.of(name + ".r"),
            List.of(name + ".h"),
            Attribute.ints("perm", 0, 2, 1, 3));
    return name + ".h";
  }

  private float[] weights(int n) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return w;
  }
}
