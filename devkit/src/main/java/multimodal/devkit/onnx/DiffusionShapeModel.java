package multimodal.devkit.onnx;

import static multimodal.devkit.onnx.OnnxModelWriter.FLOAT;
import static multimodal.devkit.onnx.OnnxModelWriter.INT64;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;
import multimodal.onnx.TensorProto;

/**
 * A shape-faithful Stable Diffusion export with RANDOM weights, for benchmarks only, in the
 * diffusers/Optimum ONNX layout that generator-service's diffusion pipeline loads ({@code
 * model_index.json}, {@code text_encoder/model.onnx}, {@code unet/model.onnx} + {@code
 * config.json}, {@code vae_decoder/model.onnx} + {@code config.json}, {@code tokenizer/}, {@code
 * scheduler/scheduler_config.json}) with the standard tensor names and dtypes:
 *
 * <ul>
 *   <li>text encoder: CLIP ViT-L/14's text tower as SD 1.x uses it ({@code input_ids} int32 {@code
 *       [B, 77]} → {@code last_hidden_state} {@code [B, 77, 768]}, {@code pooler_output}): 49,408
 *       token embeddings, 77 positions, 12 causal pre-LN layers of width 768, 12 heads, MLP 3072
 *       (GELU in its erf form where CLIP has QuickGELU: the same cost), 123 M parameters;
 *   <li>UNet: {@link UnetShapeGraph} with a chosen {@link UnetShapeGraph.Config} (default {@code
 *       bk-sdm-tiny}, 323 M parameters, 1.3 GB; {@code sd-1.5} is 860 M parameters, more than the 2
 *       GB a single protobuf holds, so this builder refuses it rather than write external data);
 *   <li>VAE decoder: {@link VaeDecoderShapeGraph}, SD's own (49.5 M parameters).
 * </ul>
 *
 * <p>Weights are seeded and scaled by 1/√fan-in, so the run time is the real model's and the
 * outputs are finite noise. Generated on demand (about a minute, 6 GB of heap), never committed:
 *
 * <pre>
 * java -Xmx6g -cp &lt;devkit classpath&gt; multimodal.devkit.onnx.DiffusionShapeModel &lt;outDir&gt; [bk-sdm-tiny]
 * </pre>
 *
 * writes {@code <outDir>/sd-bk-sdm-tiny-random/}.
 */
public final class DiffusionShapeModel {
  static final int LATENT_CHANNELS = 4;
  static final int CONTEXT = 77;
  static final int TEXT_LAYERS = 12;
  static final int VOCAB = 49408;
  private static final int INT32 = TensorProto.DataType.INT32_VALUE;

  private DiffusionShapeModel() {}

  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2) {
      System.err.println(
          "usage: DiffusionShapeModel <outDir> [bk-sdm-tiny]   (writes"
              + " <outDir>/sd-<config>-random/)");
      System.exit(2);
    }
    String name = args.length > 1 ? args[1] : UnetShapeGraph.Config.BK_SDM_TINY.name();
    long start = System.nanoTime();
    Path dir = write(Path.of(args[0]), config(name));
    System.out.printf(
        "shape-faithful Stable Diffusion (%s UNet, random weights) in %s (%d s)%n",
        name, dir.toAbsolutePath(), (System.nanoTime() - start) / 1_000_000_000L);
  }

  static UnetShapeGraph.Config config(String name) {
    if (name.equals(UnetShapeGraph.Config.BK_SDM_TINY.name())) {
      return UnetShapeGraph.Config.BK_SDM_TINY;
    }
    throw new IllegalArgumentException(
        "unknown UNet config "
            + name
            + " (bk-sdm-tiny; stable-diffusion-v1-5 needs external data, which is not written)");
  }

  /** The directory name for a UNet config. */
  public static String directoryName(String configName) {
    return "sd-" + configName + "-random";
  }

  /** Writes the export unless its model_index.json (written last) is there; returns its dir. */
  public static Path write(Path outDir) {
    return write(outDir, UnetShapeGraph.Config.BK_SDM_TINY);
  }

  static Path write(Path outDir, UnetShapeGraph.Config config) {
    Path dir = outDir.resolve(directoryName(config.name()));
    if (Files.isRegularFile(dir.resolve("model_index.json"))) {
      return dir;
    }
    try {
      Files.createDirectories(dir.resolve("unet"));
      Files.createDirectories(dir.resolve("text_encoder"));
      Files.createDirectories(dir.resolve("vae_decoder"));
      // One graph at a time: the UNet alone is 1.3 GB of bytes.
      UnetShapeGraph unet = new UnetShapeGraph(config, 15);
      VitGpt2ShapeModel.writeAtomically(dir.resolve("unet/model.onnx"), unet.build().toByteArray());
      long unetParameters = unet.parameters();
      unet = null; // let the builder's arrays go before the next graph
      VaeDecoderShapeGraph vae = new VaeDecoderShapeGraph(16);
      VitGpt2ShapeModel.writeAtomically(
          dir.resolve("vae_decoder/model.onnx"), vae.build().toByteArray());
      VitGpt2ShapeModel.writeAtomically(dir.resolve("text_encoder/model.onnx"), textEncoder());
      Map<String, byte[]> small = new LinkedHashMap<>();
      Map<String, Object> unetJson = config.json();
      unetJson.put("parameters", unetParameters);
      small.put("unet/config.json", FixtureJson.write(unetJson));
      Map<String, Object> vaeJson = new LinkedHashMap<>();
      vaeJson.put("_class_name", "AutoencoderKL");
      vaeJson.put("block_out_channels", VaeDecoderShapeGraph.BLOCK_CHANNELS);
      vaeJson.put("layers_per_block", VaeDecoderShapeGraph.LAYERS_PER_BLOCK);
      vaeJson.put("latent_channels", LATENT_CHANNELS);
      vaeJson.put("scaling_factor", DiffusionFixture.SCALING_FACTOR);
      vaeJson.put("parameters", vae.parameters());
      small.put("vae_decoder/config.json", FixtureJson.write(vaeJson));
      small.put("tokenizer/tokenizer.json", DiffusionFixture.resource("/clip/tokenizer.json"));
      small.put(
          "tokenizer/tokenizer_config.json",
          DiffusionFixture.resource("/clip/tokenizer_config.json"));
      small.put("scheduler/scheduler_config.json", schedulerConfig());
      small.put("model_index.json", modelIndex(config)); // last: marks a complete directory
      FixtureModels.writeIfChanged(dir, small);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the diffusion shape model to " + dir, e);
    }
  }

  private static byte[] modelIndex(UnetShapeGraph.Config config) {
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("_class_name", "OnnxStableDiffusionPipeline");
    index.put("_diffusers_version", "0.27.0");
    index.put("fixture", true);
    index.put("model_version", directoryName(config.name()) + "-1");
    index.put(
        "description",
        "Generated benchmark model: Stable Diffusion architecture and sizes ("
            + config.name()
            + " UNet, CLIP ViT-L/14 text tower, SD VAE decoder) with random weights; its images"
            + " are noise.");
    index.put("scheduler", List.of("diffusers", "EulerDiscreteScheduler"));
    index.put("text_encoder", List.of("optimum", "ORTModelForFeatureExtraction"));
    index.put("tokenizer", List.of("transformers", "CLIPTokenizer"));
    index.put("unet", List.of("optimum", "ORTModelForUNet"));
    index.put("vae_decoder", List.of("optimum", "ORTModelForVaeDecoder"));
    return FixtureJson.write(index);
  }

  /** SD 1.x's training schedule, with the Euler scheduler diffusers offers for it. */
  private static byte[] schedulerConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("_class_name", "EulerDiscreteScheduler");
    config.put("beta_end", DiffusionFixture.BETA_END);
    config.put("beta_schedule", "scaled_linear");
    config.put("beta_start", DiffusionFixture.BETA_START);
    config.put("num_train_timesteps", DiffusionFixture.TRAIN_TIMESTEPS);
    config.put("prediction_type", "epsilon");
    config.put("steps_offset", 1);
    config.put("timestep_spacing", "leading");
    return FixtureJson.write(config);
  }

  /** CLIP ViT-L/14's text tower (width 768, 12 heads, MLP 3072: {@link TransformerLayers}). */
  static byte[] textEncoder() {
    int width = TransformerLayers.WIDTH;
    TransformerLayers nn = new TransformerLayers(14);
    OnnxModelWriter m =
        new OnnxModelWriter("clip_vit_l14_text")
            .input("input_ids", INT32, "batch", "sequence")
            .output("last_hidden_state", FLOAT, "batch", "sequence", width)
            .output("pooler_output", FLOAT, "batch", width);
    TransformerLayers.constants(m);
    float[] causal = new float[CONTEXT * CONTEXT];
    for (int r = 0; r < CONTEXT; r++) {
      for (int c = r + 1; c < CONTEXT; c++) {
        causal[r * CONTEXT + c] = -1e9f;
      }
    }
    m.floatInitializer(
            "token_embedding", new long[] {VOCAB, width}, nn.weights(VOCAB * width, 0.02))
        .floatInitializer(
            "position_embedding", new long[] {CONTEXT, width}, nn.weights(CONTEXT * width, 0.01))
        .floatInitializer("causal", new long[] {CONTEXT, CONTEXT}, causal)
        .longInitializer("depth", new long[] {}, new long[] {CONTEXT})
        .floatInitializer("one_hot_values", new long[] {2}, new float[] {0, 1})
        .longInitializer("axis_1", new long[] {1}, new long[] {1})
        .node("Cast", List.of("input_ids"), List.of("ids64"), Attribute.of("to", (long) INT64))
        .node("Gather", List.of("token_embedding", "ids64"), List.of("tokens"))
        // The context is always 77 positions in SD pipelines: positions and mask are fixed.
        .node("Add", List.of("tokens", "position_embedding"), List.of("embedded"));
    String x = "embedded";
    for (int i = 0; i < TEXT_LAYERS; i++) {
      String p = "layer" + i;
      String normed = nn.layerNorm(m, x, p + ".ln1");
      String q = nn.heads(m, nn.linear(m, normed, p + ".q", width, width), p + ".qh");
      String k = nn.heads(m, nn.linear(m, normed, p + ".k", width, width), p + ".kh");
      String v = nn.heads(m, nn.linear(m, normed, p + ".v", width, width), p + ".vh");
      String attended = nn.attention(m, q, k, v, "causal", p + ".attn");
      m.node("Add", List.of(x, attended), List.of(p + ".h"));
      String mlp = nn.mlp(m, nn.layerNorm(m, p + ".h", p + ".ln2"), p + ".mlp");
      m.node("Add", List.of(p + ".h", mlp), List.of(p + ".out"));
      x = p + ".out";
    }
    String last = nn.layerNorm(m, x, "final_ln");
    // pooler_output: the hidden state at the end token (the largest id), as a one-hot product.
    m.node("Identity", List.of(last), List.of("last_hidden_state"))
        .node(
            "ArgMax",
            List.of("ids64"),
            List.of("eos"),
            Attribute.of("axis", 1L),
            Attribute.of("keepdims", 1L))
        .node("OneHot", List.of("eos", "depth", "one_hot_values"), List.of("eos_one_hot"))
        .node("MatMul", List.of("eos_one_hot", "last_hidden_state"), List.of("pooled"))
        .node("Squeeze", List.of("pooled", "axis_1"), List.of("pooler_output"));
    return m.toByteArray();
  }
}
