package multimodal.devkit.onnx;

import java.util.List;
import java.util.SplittableRandom;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;

/**
 * Building blocks of the shape-faithful benchmark models ({@link VitGpt2ShapeModel}, {@link
 * Florence2LanguageShapeModel}): width 768, 12 heads of 64, MLP 3072 (ViT-base, GPT-2 and BART-base
 * share them), random weights from a seeded generator. {@link #attend} also serves other small test
 * graphs.
 */
public final class TransformerLayers {
  static final int WIDTH = 768;
  static final int HEADS = 12;
  static final int HEAD_DIM = 64;
  static final int MLP = 3072;

  private final SplittableRandom random;

  TransformerLayers(long seed) {
    this.random = new SplittableRandom(seed);
  }

  float[] weights(int n, double std) {
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) ((random.nextDouble() * 2 - 1) * std * 1.7320508);
    }
    return w;
  }

  static float[] filled(int n, float value) {
    float[] w = new float[n];
    java.util.Arrays.fill(w, value);
    return w;
  }

  String linear(OnnxModelWriter m, String x, String name, int in, int out) {
    m.floatInitializer(name + ".w", new long[] {in, out}, weights(in * out, 0.02))
        .floatInitializer(name + ".b", new long[] {out}, new float[out])
        .node("MatMul", List.of(x, name + ".w"), List.of(name + ".mm"))
        .node("Add", List.of(name + ".mm", name + ".b"), List.of(name + ".out"));
    return name + ".out";
  }

  String layerNorm(OnnxModelWriter m, String x, String name) {
    m.floatInitializer(name + ".g", new long[] {WIDTH}, filled(WIDTH, 1f))
        .floatInitializer(name + ".b", new long[] {WIDTH}, new float[WIDTH])
        .node(
            "LayerNormalization",
            List.of(x, name + ".g", name + ".b"),
            List.of(name + ".out"),
            Attribute.of("axis", -1L),
            Attribute.of("epsilon", 1e-5f));
    return name + ".out";
  }

  /** [B,T,768] -> [B,12,T,64] */
  String heads(OnnxModelWriter m, String x, String name) {
    m.node("Reshape", List.of(x, "split_heads"), List.of(name + ".r"))
        .node(
            "Transpose",
            List.of(name + ".r"),
            List.of(name + ".t"),
            Attribute.ints("perm", 0, 2, 1, 3));
    return name + ".t";
  }

  /** softmax(q kT / 8 + mask) v, merged back to [B,S,768] and projected. */
  String attention(OnnxModelWriter m, String q, String k, String v, String mask, String name) {
    m.node("Transpose", List.of(k), List.of(name + ".kt"), Attribute.ints("perm", 0, 1, 3, 2));
    String merged = attend(m, q, name + ".kt", v, mask, "inv_sqrt_d", name);
    return linear(m, merged, name + ".proj", WIDTH, WIDTH);
  }

  /**
   * {@code softmax(q · kt × scale + mask) · v} over heads ({@code [B,H,S,D]}, {@code kt} already
   * {@code [B,H,D,T]}), merged back to {@code [B,S,H×D]} with the {@code merge_heads} shape.
   *
   * @param mask added to the scores; null for none
   * @param scale name of a scalar (1/√D)
   * @return the name of the merged output ({@code name + ".merged"})
   */
  public static String attend(
      OnnxModelWriter m, String q, String kt, String v, String mask, String scale, String name) {
    m.node("MatMul", List.of(q, kt), List.of(name + ".s"))
        .node("Mul", List.of(name + ".s", scale), List.of(name + ".ss"));
    String scores = name + ".ss";
    if (mask != null) {
      m.node("Add", List.of(scores, mask), List.of(name + ".sm"));
      scores = name + ".sm";
    }
    m.node("Softmax", List.of(scores), List.of(name + ".p"), Attribute.of("axis", -1L))
        .node("MatMul", List.of(name + ".p", v), List.of(name + ".o"))
        .node(
            "Transpose",
            List.of(name + ".o"),
            List.of(name + ".ot"),
            Attribute.ints("perm", 0, 2, 1, 3))
        .node("Reshape", List.of(name + ".ot", "merge_heads"), List.of(name + ".merged"));
    return name + ".merged";
  }

  String mlp(OnnxModelWriter m, String x, String name) {
    String up = linear(m, x, name + ".fc", WIDTH, MLP);
    // GELU (erf form): opset 17 has no Gelu op.
    m.node("Mul", List.of(up, "inv_sqrt2"), List.of(name + ".x2"))
        .node("Erf", List.of(name + ".x2"), List.of(name + ".erf"))
        .node("Add", List.of(name + ".erf", "one_f"), List.of(name + ".erf1"))
        .node("Mul", List.of(up, name + ".erf1"), List.of(name + ".g2"))
        .node("Mul", List.of(name + ".g2", "half_f"), List.of(name + ".gelu"));
    return linear(m, name + ".gelu", name + ".proj", MLP, WIDTH);
  }

  static void constants(OnnxModelWriter m) {
    m.longInitializer("split_heads", new long[] {4}, new long[] {0, 0, HEADS, HEAD_DIM})
        .longInitializer("merge_heads", new long[] {3}, new long[] {0, 0, WIDTH})
        .floatInitializer("inv_sqrt_d", new long[] {}, new float[] {0.125f})
        .floatInitializer("inv_sqrt2", new long[] {}, new float[] {0.70710678f})
        .floatInitializer("one_f", new long[] {}, new float[] {1f})
        .floatInitializer("half_f", new long[] {}, new float[] {0.5f})
        .floatInitializer("zero_f", new long[] {}, new float[] {0f});
  }

  /**
   * Adds the zero keys/values of an encoder-decoder fixture's cache: {@code new_kv [batch, heads,
   * seq, head_dim]} (the self-attention rows a step appends) and {@code cross_kv [batch, heads,
   * enc_len, head_dim]} (as long as the encoder states), from the scalars {@code batch}, {@code
   * seq}, {@code enc_len} and the initializers {@code axis_0}, {@code heads}, {@code head_dim},
   * {@code zero_f} the model already has.
   */
  static void zeroKvRows(OnnxModelWriter model) {
    model
        .node("Unsqueeze", List.of("batch", "axis_0"), List.of("batch_1"))
        .node("Unsqueeze", List.of("seq", "axis_0"), List.of("seq_1"))
        .node("Unsqueeze", List.of("enc_len", "axis_0"), List.of("enc_len_1"))
        .node(
            "Concat",
            List.of("batch_1", "heads", "seq_1", "head_dim"),
            List.of("kv_shape"),
            Attribute.of("axis", 0L))
        .node(
            "Concat",
            List.of("batch_1", "heads", "enc_len_1", "head_dim"),
            List.of("cross_shape"),
            Attribute.of("axis", 0L))
        .node("Expand", List.of("zero_f", "kv_shape"), List.of("new_kv"))
        .node("Expand", List.of("zero_f", "cross_shape"), List.of("cross_kv"));
  }
}
