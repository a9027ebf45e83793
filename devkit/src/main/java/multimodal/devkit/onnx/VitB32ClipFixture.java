package multimodal.devkit.onnx;

import static multimodal.devkit.onnx.OnnxModelWriter.FLOAT;
import static multimodal.devkit.onnx.OnnxModelWriter.INT64;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;

/**
 * A shape-faithful CLIP ViT-B/32 in the transformers.js split layout, with random weights: the real
 * architecture and size (vision: 32×32 patches of a 224 image, 12 pre-LN transformer layers of
 * width 768, 12 heads, MLP 3072, QuickGELU, CLS pooling, projection to 512; text: 49,408-token
 * embedding, 77 positions, 12 causal layers of width 512, 8 heads, MLP 2048, pooling at the end
 * token, projection 512) and the real tensor interface. About 88 M + 63 M parameters (~600 MB of
 * float32), so its run time is that of the real model; its outputs mean nothing. For benchmarks
 * only; generated on demand, never committed:
 *
 * <pre>
 * java -Xmx4g -cp &lt;devkit classpath&gt; multimodal.devkit.onnx.VitB32ClipFixture &lt;outDir&gt;
 * </pre>
 *
 * writes {@code <outDir>/clip-vit-b32-random/}.
 */
public final class VitB32ClipFixture {
  public static final String NAME = "clip-vit-b32-random";
  private static final int EMBED = 512;

  private final SplittableRandom random = new SplittableRandom(32);
  private OnnxModelWriter graph;
  private String prefix;

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: VitB32ClipFixture <outDir>   (writes <outDir>/" + NAME + "/)");
      System.exit(2);
    }
    long start = System.nanoTime();
    Path dir = write(Path.of(args[0]));
    System.out.printf(
        "ViT-B/32 shape-faithful CLIP (random weights) in %s (%d s)%n",
        dir.toAbsolutePath(), (System.nanoTime() - start) / 1_000_000_000L);
  }

  /** Writes the model directory unless its config.json is already there. */
  public static Path write(Path outDir) {
    Path dir = outDir.resolve(NAME);
    if (Files.isRegularFile(dir.resolve("config.json"))) {
      return dir;
    }
    VitB32ClipFixture fixture = new VitB32ClipFixture();
    Map<String, byte[]> small = new ColourClipFixture().files();
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("onnx/vision_model.onnx", fixture.vision());
    files.put("onnx/text_model.onnx", fixture.text());
    files.put("preprocessor_config.json", small.get("preprocessor_config.json"));
    files.put("tokenizer.json", small.get("tokenizer.json"));
    files.put("tokenizer_config.json", small.get("tokenizer_config.json"));
    files.put("config.json", fixture.config()); // last: its presence marks a complete directory
    FixtureModels.writeIfChanged(dir, files);
    return dir;
  }

  byte[] vision() {
    int width = 768;
    int patch = 32;
    int grid = 224 / patch;
    int tokens = grid * grid + 1;
    graph =
        new OnnxModelWriter("clip_vit_b32_vision")
            .input("pixel_values", FLOAT, "batch_size", "num_channels", "height", "width")
            .output("image_embeds", FLOAT, "batch_size", EMBED);
    prefix = "v.";
    weight("patch_w", 0.02f, width, 3, patch, patch);
    graph.node(
        "Conv",
        List.of("pixel_values", "v.patch_w"),
        List.of("v.patches"),
        Attribute.ints("kernel_shape", patch, patch),
        Attribute.ints("strides", patch, patch)); // [B,768,7,7]
    constant("flat_shape", 0, width, -1);
    graph.node(
        "Reshape", List.of("v.patches", "v.flat_shape"), List.of("v.patches_flat")); // [B,768,49]
    graph.node(
        "Transpose",
        List.of("v.patches_flat"),
        List.of("v.patch_tokens"),
        Attribute.ints("perm", 0, 2, 1));
    weight("class_embedding", 0.02f, 1, 1, width);
    // Expand the class token to the batch: shape [B, 1, 768] from the patch tokens' shape.
    graph.node("Shape", List.of("v.patch_tokens"), List.of("v.tokens_shape"));
    constant("zero", 0);
    constant("zero_1d", new long[] {1}, 0);
    graph.node(
        "Gather",
        List.of("v.tokens_shape", "v.zero"),
        List.of("v.batch"),
        Attribute.of("axis", 0L));
    constant("one_width", 1, width);
    graph.node("Unsqueeze", List.of("v.batch", "v.zero_1d"), List.of("v.batch_1d"));
    graph.node(
        "Concat",
        List.of("v.batch_1d", "v.one_width"),
        List.of("v.cls_shape"),
        Attribute.of("axis", 0L));
    graph.node("Expand", List.of("v.class_embedding", "v.cls_shape"), List.of("v.cls"));
    graph.node(
        "Concat",
        List.of("v.cls", "v.patch_tokens"),
        List.of("v.tokens"),
        Attribute.of("axis", 1L));
    weight("position_embedding", 0.02f, tokens, width);
    graph.node("Add", List.of("v.tokens", "v.position_embedding"), List.of("v.embedded"));
    String x = layerNorm("v.embedded", "pre_ln", width);
    for (int i = 0; i < 12; i++) {
      x = block(x, i, width, 12, null);
    }
    graph.node(
        "Gather", List.of(x, "v.zero"), List.of("v.pooled"), Attribute.of("axis", 1L)); // CLS
    String pooled = layerNorm("v.pooled", "post_ln", width);
    weight("projection", 0.02f, width, EMBED);
    graph.node("MatMul", List.of(pooled, "v.projection"), List.of("image_embeds"));
    return graph.toByteArray();
  }

  byte[] text() {
    int width = 512;
    int context = 77;
    graph =
        new OnnxModelWriter("clip_vit_b32_text")
            .input("input_ids", INT64, "batch_size", "sequence_length")
            .output("text_embeds", FLOAT, "batch_size", EMBED);
    prefix = "t.";
    weight("token_embedding", 0.02f, 49408, width);
    graph.node(
        "Gather",
        List.of("t.token_embedding", "input_ids"),
        List.of("t.tokens"),
        Attribute.of("axis", 0L));
    // Positions and the causal mask, cut to the batch's sequence length.
    graph.node("Shape", List.of("input_ids"), List.of("t.ids_shape"));
    constant("one", 1);
    constant("zero", 0);
    constant("zero_1d", new long[] {1}, 0);
    constant("zeros_2d", new long[] {2}, 0, 0);
    constant("axes_01", new long[] {2}, 0, 1);
    graph.node(
        "Gather", List.of("t.ids_shape", "t.one"), List.of("t.seq"), Attribute.of("axis", 0L));
    graph.node("Unsqueeze", List.of("t.seq", "t.zero_1d"), List.of("t.seq_1d"));
    graph.node(
        "Concat", List.of("t.seq_1d", "t.seq_1d"), List.of("t.seq_2d"), Attribute.of("axis", 0L));
    weight("position_embedding", 0.01f, context, width);
    graph.node(
        "Slice",
        List.of("t.position_embedding", "t.zero_1d", "t.seq_1d", "t.zero_1d"),
        List.of("t.positions"));
    graph.node("Add", List.of("t.tokens", "t.positions"), List.of("t.embedded"));
    float[] mask = new float[context * context];
    for (int r = 0; r < context; r++) {
      for (int c = r + 1; c < context; c++) {
        mask[r * context + c] = -1e9f;
      }
    }
    graph.floatInitializer("t.causal_full", new long[] {context, context}, mask);
    graph.node(
        "Slice",
        List.of("t.causal_full", "t.zeros_2d", "t.seq_2d", "t.axes_01"),
        List.of("t.causal"));
    String x = "t.embedded";
    for (int i = 0; i < 12; i++) {
      x = block(x, i, width, 8, "t.causal");
    }
    x = layerNorm(x, "final_ln", width);
    // Pool at the end token: its id (49407) is the largest, so argmax finds it
    // (docs/models.md §2.3).
    graph.node(
        "ArgMax",
        List.of("input_ids"),
        List.of("t.eos"),
        Attribute.of("axis", 1L),
        Attribute.of("keepdims", 0L));
    graph.node(
        "Gather", List.of("t.ids_shape", "t.zero"), List.of("t.batch"), Attribute.of("axis", 0L));
    graph.node("Range", List.of("t.zero", "t.batch", "t.one"), List.of("t.rows"));
    graph.node("Mul", List.of("t.rows", "t.seq"), List.of("t.row_starts"));
    graph.node("Add", List.of("t.row_starts", "t.eos"), List.of("t.flat_index"));
    constant("flat_shape", -1, width);
    graph.node("Reshape", List.of(x, "t.flat_shape"), List.of("t.flat"));
    graph.node(
        "Gather", List.of("t.flat", "t.flat_index"), List.of("t.pooled"), Attribute.of("axis", 0L));
    weight("projection", 0.02f, width, EMBED);
    graph.node("MatMul", List.of("t.pooled", "t.projection"), List.of("text_embeds"));
    return graph.toByteArray();
  }

  /** One pre-LN transformer layer; {@code mask} is added to the attention scores when given. */
  private String block(String x, int i, int width, int heads, String mask) {
    String p = "l" + i + ".";
    int headDim = width / heads;
    String normed = layerNorm(x, p + "ln1", width);
    String q = linear(normed, p + "q", width, width);
    String k = linear(normed, p + "k", width, width);
    String v = linear(normed, p + "v", width, width);
    constant(p + "heads_shape", 0, 0, heads, headDim);
    String qh = heads(q, p + "qh");
    String kh = heads(k, p + "kh");
    String vh = heads(v, p + "vh");
    graph.node(
        "Transpose", List.of(kh), List.of(name(p + "kt")), Attribute.ints("perm", 0, 1, 3, 2));
    graph.node("MatMul", List.of(qh, name(p + "kt")), List.of(name(p + "raw_scores")));
    graph.floatInitializer(
        name(p + "scale"), new long[] {1}, new float[] {(float) (1 / Math.sqrt(headDim))});
    graph.node(
        "Mul", List.of(name(p + "raw_scores"), name(p + "scale")), List.of(name(p + "scores")));
    String scores = name(p + "scores");
    if (mask != null) {
      graph.node("Add", List.of(scores, mask), List.of(name(p + "masked")));
      scores = name(p + "masked");
    }
    graph.node("Softmax", List.of(scores), List.of(name(p + "attn")), Attribute.of("axis", -1L));
    graph.node("MatMul", List.of(name(p + "attn"), vh), List.of(name(p + "ctx_heads")));
    graph.node(
        "Transpose",
        List.of(name(p + "ctx_heads")),
        List.of(name(p + "ctx_t")),
        Attribute.ints("perm", 0, 2, 1, 3));
    constant(p + "merge_shape", 0, 0, width);
    graph.node(
        "Reshape", List.of(name(p + "ctx_t"), name(p + "merge_shape")), List.of(name(p + "ctx")));
    String attended = linear(name(p + "ctx"), p + "o", width, width);
    graph.node("Add", List.of(x, attended), List.of(name(p + "h")));
    String h = name(p + "h");
    String normed2 = layerNorm(h, p + "ln2", width);
    String fc1 = linear(normed2, p + "fc1", width, 4 * width);
    // QuickGELU: x * sigmoid(1.702 x), as in OpenAI's CLIP.
    graph.floatInitializer(name(p + "gelu_k"), new long[] {1}, new float[] {1.702f});
    graph.node("Mul", List.of(fc1, name(p + "gelu_k")), List.of(name(p + "gelu_in")));
    graph.node("Sigmoid", List.of(name(p + "gelu_in")), List.of(name(p + "gelu_gate")));
    graph.node("Mul", List.of(fc1, name(p + "gelu_gate")), List.of(name(p + "gelu")));
    String fc2 = linear(name(p + "gelu"), p + "fc2", 4 * width, width);
    graph.node("Add", List.of(h, fc2), List.of(name(p + "out")));
    return name(p + "out");
  }

  /** {@code [B, S, D]} → {@code [B, heads, S, headDim]}. */
  private String heads(String in, String out) {
    String shape = in.substring(0, in.lastIndexOf('.') + 1).replace(prefix, "");
    graph.node(
        "Reshape",
        List.of(in, name(shape + "heads_shape")),
        List.of(name(out.replace(prefix, "") + "_r")));
    graph.node(
        "Transpose",
        List.of(name(out.replace(prefix, "") + "_r")),
        List.of(name(out)),
        Attribute.ints("perm", 0, 2, 1, 3));
    return name(out);
  }

  private String linear(String in, String label, int inWidth, int outWidth) {
    weight(label + "_w", (float) (1 / Math.sqrt(inWidth)), inWidth, outWidth);
    zeros(label + "_b", outWidth);
    graph.node("MatMul", List.of(in, name(label + "_w")), List.of(name(label + "_mm")));
    graph.node("Add", List.of(name(label + "_mm"), name(label + "_b")), List.of(name(label)));
    return name(label);
  }

  private String layerNorm(String in, String label, int width) {
    float[] ones = new float[width];
    java.util.Arrays.fill(ones, 1f);
    graph.floatInitializer(name(label + "_g"), new long[] {width}, ones);
    zeros(label + "_b", width);
    graph.node(
        "LayerNormalization",
        List.of(in, name(label + "_g"), name(label + "_b")),
        List.of(name(label)),
        Attribute.of("axis", -1L),
        Attribute.of("epsilon", 1e-5f));
    return name(label);
  }

  private String name(String label) {
    return label.startsWith(prefix) ? label : prefix + label;
  }

  private void weight(String label, float std, long... dims) {
    long count = 1;
    for (long d : dims) {
      count *= d;
    }
    float[] values = new float[(int) count];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (gaussian() * std);
    }
    graph.floatInitializer(name(label), dims, values);
  }

  private double gaussian() {
    // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private void zeros(String label, int width) {
    graph.floatInitializer(name(label), new long[] {width}, new float[width]);
  }

  /**
   * A 1-D int64 constant, or a scalar when {@code values} has one element and no dims are given.
   */
  private void constant(String label, long... values) {
    if (values.length == 1) {
      graph.longInitializer(name(label), new long[] {}, values);
    } else {
      graph.longInitializer(name(label), new long[] {values.length}, values);
    }
  }

  private void constant(String label, long[] dims, long... values) {
    graph.longInitializer(name(label), dims, values);
  }

  private byte[] config() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model_type", "clip");
    config.put("projection_dim", EMBED);
    config.put("fixture", true);
    config.put("model_version", "vit-b-32-random-1");
    config.put(
        "description",
        "Generated benchmark fixture: CLIP ViT-B/32 architecture and size with random weights;"
            + " its embeddings mean nothing.");
    try {
      return (new ObjectMapper()
                  .enable(SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(config)
              + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
