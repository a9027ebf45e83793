package multimodal.devkit.onnx;

import java.util.List;
import java.util.SplittableRandom;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;

/**
 * Building blocks of the shape-faithful convolutional benchmark graphs ({@link UnetShapeGraph},
 * {@link VaeDecoderShapeGraph}): convolutions, GroupNorm, SiLU, ResNet blocks, multi-head attention
 * over the pixels of a feature map, nearest 2× upsampling; random weights from a seeded generator,
 * scaled by 1/√fan-in so that activations stay of order one through dozens of layers (GroupNorm
 * re-normalises every block input). Every tensor name is the caller's label plus a suffix, so
 * labels must be unique. Counts the parameters it creates.
 */
final class ConvLayers {
  private final OnnxModelWriter m;
  private final SplittableRandom random;
  private final float normEpsilon;
  private final java.util.Set<String> declared = new java.util.HashSet<>();
  private long parameters;

  /**
   * @param normEpsilon GroupNorm's epsilon (1e-5 in the UNet, 1e-6 in the VAE, as diffusers)
   */
  ConvLayers(OnnxModelWriter m, long seed, float normEpsilon) {
    this.m = m;
    this.random = new SplittableRandom(seed);
    this.normEpsilon = normEpsilon;
  }

  /** Declares a shared constant the first time a layer needs it (unused ones stay out). */
  private String shared(String name, long[] dims, float... values) {
    if (declared.add(name)) {
      m.floatInitializer(name, dims, values);
    }
    return name;
  }

  private String sharedLongs(String name, long... values) {
    if (declared.add(name)) {
      m.longInitializer(name, new long[] {values.length}, values);
    }
    return name;
  }

  /** {@code [1]} int64 constant 1: the axis that Unsqueeze/Concat callers share. */
  String axis1() {
    return sharedLongs("axis_1", 1);
  }

  /** GroupNorm's group count in every SD UNet and VAE. */
  static final int GROUPS = 32;

  long parameters() {
    return parameters;
  }

  OnnxModelWriter graph() {
    return m;
  }

  /** Uniform random weights of the given standard deviation. */
  float[] weights(long count, double std) {
    float[] w = new float[Math.toIntExact(count)];
    double half = std * Math.sqrt(3); // a uniform on ±a has std a/√3
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((random.nextDouble() * 2 - 1) * half);
    }
    parameters += count;
    return w;
  }

  private String zeros(String name, int width) {
    m.floatInitializer(name, new long[] {width}, new float[width]);
    parameters += width;
    return name;
  }

  private String ones(String name, long[] dims, int width) {
    m.floatInitializer(name, dims, TransformerLayers.filled(width, 1f));
    parameters += width;
    return name;
  }

  /** A square convolution with bias, padding k/2 ("same" at stride 1). */
  String conv(String x, String name, int in, int out, int kernel, int stride) {
    long count = (long) out * in * kernel * kernel;
    m.floatInitializer(
        name + ".w",
        new long[] {out, in, kernel, kernel},
        weights(count, 1 / Math.sqrt((double) in * kernel * kernel)));
    zeros(name + ".b", out);
    int pad = kernel / 2;
    m.node(
        "Conv",
        List.of(x, name + ".w", name + ".b"),
        List.of(name),
        Attribute.ints("kernel_shape", kernel, kernel),
        Attribute.ints("strides", stride, stride),
        Attribute.ints("pads", pad, pad, pad, pad));
    return name;
  }

  /**
   * GroupNorm over 32 groups as PyTorch exports it at opset 17 (which has no GroupNormalization):
   * InstanceNormalization of {@code [B, 32, C/32·H·W]}, then the per-channel scale and shift.
   */
  String groupNorm(String x, String name, int channels) {
    ones(name + ".in_scale", new long[] {GROUPS}, GROUPS);
    zeros(name + ".in_bias", GROUPS);
    ones(name + ".g", new long[] {channels, 1, 1}, channels);
    m.floatInitializer(name + ".b", new long[] {channels, 1, 1}, new float[channels]);
    parameters += channels;
    m.node("Shape", List.of(x), List.of(name + ".shape"))
        .node(
            "Reshape",
            List.of(x, sharedLongs("gn_shape", 0, GROUPS, -1)),
            List.of(name + ".grouped"))
        .node(
            "InstanceNormalization",
            List.of(name + ".grouped", name + ".in_scale", name + ".in_bias"),
            List.of(name + ".normed"),
            Attribute.of("epsilon", normEpsilon))
        .node("Reshape", List.of(name + ".normed", name + ".shape"), List.of(name + ".back"))
        .node("Mul", List.of(name + ".back", name + ".g"), List.of(name + ".scaled"))
        .node("Add", List.of(name + ".scaled", name + ".b"), List.of(name));
    return name;
  }

  String silu(String x, String name) {
    m.node("Sigmoid", List.of(x), List.of(name + ".gate"))
        .node("Mul", List.of(x, name + ".gate"), List.of(name));
    return name;
  }

  /** {@code x · W (+ b)} over the last axis. */
  String linear(String x, String name, int in, int out, boolean bias) {
    m.floatInitializer(
        name + ".w", new long[] {in, out}, weights((long) in * out, 1 / Math.sqrt(in)));
    if (!bias) {
      m.node("MatMul", List.of(x, name + ".w"), List.of(name));
      return name;
    }
    zeros(name + ".b", out);
    m.node("MatMul", List.of(x, name + ".w"), List.of(name + ".mm"))
        .node("Add", List.of(name + ".mm", name + ".b"), List.of(name));
    return name;
  }

  String layerNorm(String x, String name, int width) {
    ones(name + ".g", new long[] {width}, width);
    zeros(name + ".b", width);
    m.node(
        "LayerNormalization",
        List.of(x, name + ".g", name + ".b"),
        List.of(name),
        Attribute.of("axis", -1L),
        Attribute.of("epsilon", 1e-5f));
    return name;
  }

  /** GELU in its erf form (opset 17 has no Gelu op). */
  String gelu(String x, String name) {
    m.node(
            "Mul",
            List.of(x, shared("gelu_inv_sqrt2", new long[] {}, 0.70710678f)),
            List.of(name + ".x2"))
        .node("Erf", List.of(name + ".x2"), List.of(name + ".erf"))
        .node(
            "Add",
            List.of(name + ".erf", shared("gelu_one", new long[] {}, 1f)),
            List.of(name + ".erf1"))
        .node("Mul", List.of(x, name + ".erf1"), List.of(name + ".xe"))
        .node(
            "Mul", List.of(name + ".xe", shared("gelu_half", new long[] {}, 0.5f)), List.of(name));
    return name;
  }

  /**
   * diffusers' ResnetBlock2D: GroupNorm, SiLU, 3×3 conv, (+ the projected time embedding),
   * GroupNorm, SiLU, 3×3 conv, plus the input (through a 1×1 conv when the width changes).
   *
   * @param timeEmbedding SiLU of the time embedding {@code [T, tembWidth]}, or null (VAE)
   */
  String resnet(String x, String name, int in, int out, String timeEmbedding, int tembWidth) {
    String h =
        conv(
            silu(groupNorm(x, name + ".norm1", in), name + ".act1"),
            name + ".conv1",
            in,
            out,
            3,
            1);
    if (timeEmbedding != null) {
      String t = linear(timeEmbedding, name + ".temb", tembWidth, out, true);
      m.node("Unsqueeze", List.of(t, sharedLongs("axes_23", 2, 3)), List.of(name + ".temb4"))
          .node("Add", List.of(h, name + ".temb4"), List.of(name + ".h_t"));
      h = name + ".h_t";
    }
    h =
        conv(
            silu(groupNorm(h, name + ".norm2", out), name + ".act2"),
            name + ".conv2",
            out,
            out,
            3,
            1);
    String shortcut = in == out ? x : conv(x, name + ".shortcut", in, out, 1, 1);
    m.node("Add", List.of(shortcut, h), List.of(name));
    return name;
  }

  /**
   * {@code [B, C, H, W]} → {@code [B, H·W, C]}; the input's shape is kept as {@code name.shape}.
   */
  String toTokens(String x, String name, int channels) {
    m.longInitializer(name + ".flat", new long[] {3}, new long[] {0, channels, -1})
        .node("Shape", List.of(x), List.of(name + ".shape"))
        .node("Reshape", List.of(x, name + ".flat"), List.of(name + ".flat_x"))
        .node(
            "Transpose", List.of(name + ".flat_x"), List.of(name), Attribute.ints("perm", 0, 2, 1));
    return name;
  }

  /** The inverse of {@link #toTokens}, back to the shape kept under {@code tokensName.shape}. */
  String toSpatial(String tokens, String tokensName, String name) {
    m.node("Transpose", List.of(tokens), List.of(name + ".t"), Attribute.ints("perm", 0, 2, 1))
        .node("Reshape", List.of(name + ".t", tokensName + ".shape"), List.of(name));
    return name;
  }

  /**
   * Multi-head attention of the tokens {@code x [B, S, width]} over {@code context [B, T,
   * contextWidth]} (x itself for self-attention), with the output projection.
   */
  String attention(
      String x, String context, String name, int width, int contextWidth, int heads, boolean bias) {
    int headDim = width / heads;
    m.longInitializer(name + ".split", new long[] {4}, new long[] {0, -1, heads, headDim})
        .longInitializer(name + ".merge", new long[] {3}, new long[] {0, -1, width})
        .floatInitializer(
            name + ".scale", new long[] {}, new float[] {(float) (1 / Math.sqrt(headDim))});
    String q = linear(x, name + ".q", width, width, bias);
    String k = linear(context, name + ".k", contextWidth, width, bias);
    String v = linear(context, name + ".v", contextWidth, width, bias);
    // The scale goes on q before the product: one [B, heads, S, T] tensor fewer at 4096 pixels.
    m.node("Mul", List.of(q, name + ".scale"), List.of(name + ".qs"));
    String qh = splitHeads(name + ".qs", name + ".q", name + ".split", 0, 2, 1, 3);
    String kt = splitHeads(k, name + ".k", name + ".split", 0, 2, 3, 1); // transposed for q·kᵀ
    String vh = splitHeads(v, name + ".v", name + ".split", 0, 2, 1, 3);
    m.node("MatMul", List.of(qh, kt), List.of(name + ".scores"))
        .node("Softmax", List.of(name + ".scores"), List.of(name + ".p"), Attribute.of("axis", -1L))
        .node("MatMul", List.of(name + ".p", vh), List.of(name + ".o"))
        .node(
            "Transpose",
            List.of(name + ".o"),
            List.of(name + ".ot"),
            Attribute.ints("perm", 0, 2, 1, 3))
        .node("Reshape", List.of(name + ".ot", name + ".merge"), List.of(name + ".merged"));
    return linear(name + ".merged", name + ".out", width, width, true);
  }

  /** {@code [B, S, width]} → {@code [B, S, heads, headDim]}, then permuted by {@code perm}. */
  private String splitHeads(String x, String name, String split, long... perm) {
    m.node("Reshape", List.of(x, split), List.of(name + ".heads"))
        .node(
            "Transpose",
            List.of(name + ".heads"),
            List.of(name + ".heads_t"),
            Attribute.ints("perm", perm));
    return name + ".heads_t";
  }

  /** Nearest-neighbour 2× upsampling and a 3×3 conv (diffusers' Upsample2D). */
  String upsample(String x, String name, int channels) {
    m.node(
        "Resize",
        List.of(x, "", shared("up2_scales", new long[] {4}, 1, 1, 2, 2)),
        List.of(name + ".resized")); // Resize's default mode is nearest
    return conv(name + ".resized", name + ".conv", channels, channels, 3, 1);
  }

  String add(String a, String b, String name) {
    m.node("Add", List.of(a, b), List.of(name));
    return name;
  }
}
