package multimodal.devkit.onnx;

import static multimodal.devkit.onnx.OnnxModelWriter.FLOAT;
import static multimodal.devkit.onnx.OnnxModelWriter.INT64;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;

/**
 * diffusers' {@code UNet2DConditionModel} of Stable Diffusion 1.x as an ONNX graph with random
 * weights, in the tensor interface of the standard export: {@code sample} float {@code [B, 4, h,
 * w]}, {@code timestep} int64 {@code [steps]}, {@code encoder_hidden_states} float {@code [B, T,
 * 768]} → {@code out_sample} float {@code [B, 4, h, w]}. The layout is the real one: sinusoidal
 * timestep embedding (flip sin to cos, shift 0) through two linears to 4× the first width; a 3×3
 * conv in; down blocks of ResNet blocks (GroupNorm 32, SiLU, time embedding added) each followed,
 * in cross-attention blocks, by a Transformer2D (GroupNorm, 1×1 conv in, LayerNorm +
 * self-attention, LayerNorm + cross-attention to the text, LayerNorm + GEGLU feed-forward, 1×1 conv
 * out, residual) and a stride-2 conv between blocks; an optional mid block; up blocks with one
 * layer more, each concatenating a skip connection of the down path, nearest 2× upsampling + conv
 * between blocks; GroupNorm, SiLU, 3×3 conv out. Which blocks, widths and layer counts: {@link
 * Config}.
 */
final class UnetShapeGraph {
  /**
   * A UNet2DConditionModel configuration (the fields of its {@code config.json} that shape the
   * graph).
   *
   * @param crossAttention per down block (the up blocks mirror it): CrossAttn…Block2D, else plain
   * @param heads attention heads ({@code attention_head_dim} in SD 1.x configs, which is a count)
   */
  record Config(
      String name,
      int[] channels,
      boolean[] crossAttention,
      int layersPerBlock,
      boolean midBlock,
      int heads,
      int crossAttentionDim) {

    /** {@code runwayml/stable-diffusion-v1-5}'s UNet: 860 M parameters. */
    static final Config SD_1_5 =
        new Config(
            "stable-diffusion-v1-5",
            new int[] {320, 640, 1280, 1280},
            new boolean[] {true, true, true, false},
            2,
            true,
            8,
            768);

    /**
     * {@code nota-ai/bk-sdm-tiny}'s UNet (BK-SDM, Kim et al. 2023: SD 1.4 with one ResNet +
     * Transformer pair less per block, no mid block, and neither the innermost down block nor its
     * up block): 323 M parameters.
     */
    static final Config BK_SDM_TINY =
        new Config(
            "bk-sdm-tiny",
            new int[] {320, 640, 1280},
            new boolean[] {true, true, true},
            1,
            false,
            8,
            768);

    int timeEmbedWidth() {
      return channels[0] * 4;
    }

    /** The diffusers config.json of this UNet, for the export directory. */
    Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("_class_name", "UNet2DConditionModel");
      json.put("matches", name);
      json.put("act_fn", "silu");
      json.put("attention_head_dim", heads);
      json.put("block_out_channels", channels);
      json.put("cross_attention_dim", crossAttentionDim);
      String[] down = new String[channels.length];
      String[] up = new String[channels.length];
      for (int i = 0; i < channels.length; i++) {
        down[i] = crossAttention[i] ? "CrossAttnDownBlock2D" : "DownBlock2D";
        up[channels.length - 1 - i] = crossAttention[i] ? "CrossAttnUpBlock2D" : "UpBlock2D";
      }
      json.put("down_block_types", down);
      json.put("up_block_types", up);
      json.put("flip_sin_to_cos", true);
      json.put("freq_shift", 0);
      json.put("in_channels", DiffusionShapeModel.LATENT_CHANNELS);
      json.put("out_channels", DiffusionShapeModel.LATENT_CHANNELS);
      json.put("layers_per_block", layersPerBlock);
      json.put("mid_block_type", midBlock ? "UNetMidBlock2DCrossAttn" : null);
      json.put("norm_num_groups", ConvLayers.GROUPS);
      json.put("norm_eps", 1e-5);
      json.put("sample_size", 64);
      json.put("use_linear_projection", false);
      return json;
    }
  }

  private final Config config;
  private final ConvLayers nn;
  private final OnnxModelWriter m;

  UnetShapeGraph(Config config, long seed) {
    this.config = config;
    int c = DiffusionShapeModel.LATENT_CHANNELS;
    this.m =
        new OnnxModelWriter("unet_" + config.name().replace('-', '_'))
            .input("sample", FLOAT, "batch", c, "height", "width")
            .input("timestep", INT64, "steps")
            .input("encoder_hidden_states", FLOAT, "batch", "sequence", config.crossAttentionDim())
            .output("out_sample", FLOAT, "batch", c, "height", "width");
    this.nn = new ConvLayers(m, seed, 1e-5f);
  }

  long parameters() {
    return nn.parameters();
  }

  OnnxModelWriter build() {
    int[] ch = config.channels();
    int n = ch.length;
    String temb = timeEmbedding();
    String h = nn.conv("sample", "conv_in", DiffusionShapeModel.LATENT_CHANNELS, ch[0], 3, 1);
    Deque<String> skips = new ArrayDeque<>();
    Deque<Integer> skipWidths = new ArrayDeque<>();
    skips.push(h);
    skipWidths.push(ch[0]);
    int width = ch[0];
    for (int b = 0; b < n; b++) {
      for (int l = 0; l < config.layersPerBlock(); l++) {
        String p = "down" + b + "." + l;
        h = nn.resnet(h, p + ".resnet", width, ch[b], temb, config.timeEmbedWidth());
        width = ch[b];
        if (config.crossAttention()[b]) {
          h = transformer(h, p + ".attn", width);
        }
        skips.push(h);
        skipWidths.push(width);
      }
      if (b < n - 1) {
        h = nn.conv(h, "down" + b + ".downsample", width, width, 3, 2);
        skips.push(h);
        skipWidths.push(width);
      }
    }
    if (config.midBlock()) {
      h = nn.resnet(h, "mid.resnet0", width, width, temb, config.timeEmbedWidth());
      h = transformer(h, "mid.attn", width);
      h = nn.resnet(h, "mid.resnet1", width, width, temb, config.timeEmbedWidth());
    }
    for (int u = 0; u < n; u++) {
      int b = n - 1 - u;
      for (int l = 0; l <= config.layersPerBlock(); l++) {
        String p = "up" + u + "." + l;
        int skipWidth = skipWidths.pop();
        m.node("Concat", List.of(h, skips.pop()), List.of(p + ".cat"), Attribute.of("axis", 1L));
        h =
            nn.resnet(
                p + ".cat", p + ".resnet", width + skipWidth, ch[b], temb, config.timeEmbedWidth());
        width = ch[b];
        if (config.crossAttention()[b]) {
          h = transformer(h, p + ".attn", width);
        }
      }
      if (u < n - 1) {
        h = nn.upsample(h, "up" + u + ".upsample", width);
      }
    }
    h = nn.silu(nn.groupNorm(h, "norm_out", width), "act_out");
    nn.conv(h, "conv_out", width, DiffusionShapeModel.LATENT_CHANNELS, 3, 1);
    m.node("Identity", List.of("conv_out"), List.of("out_sample"));
    return m;
  }

  /** Sinusoidal embedding of the timestep, then linear → SiLU → linear; returns SiLU of it. */
  private String timeEmbedding() {
    int half = config.channels()[0] / 2;
    float[] frequencies = new float[half];
    for (int i = 0; i < half; i++) {
      frequencies[i] = (float) Math.exp(-Math.log(10000) * i / half);
    }
    int tw = config.timeEmbedWidth();
    m.floatInitializer("time_freqs", new long[] {1, half}, frequencies)
        .node("Cast", List.of("timestep"), List.of("t_float"), Attribute.of("to", (long) FLOAT))
        .node("Unsqueeze", List.of("t_float", nn.axis1()), List.of("t_column"))
        .node("Mul", List.of("t_column", "time_freqs"), List.of("t_args"))
        .node("Cos", List.of("t_args"), List.of("t_cos"))
        .node("Sin", List.of("t_args"), List.of("t_sin"))
        .node("Concat", List.of("t_cos", "t_sin"), List.of("t_proj"), Attribute.of("axis", 1L));
    String e = nn.linear("t_proj", "time_linear1", config.channels()[0], tw, true);
    e = nn.linear(nn.silu(e, "time_act"), "time_linear2", tw, tw, true);
    // Every ResNet block applies SiLU before its own projection of the embedding.
    return nn.silu(e, "temb_act");
  }

  /** Transformer2DModel with one BasicTransformerBlock (SD 1.x: 1×1 conv projections). */
  private String transformer(String x, String p, int width) {
    String normed = nn.groupNorm(x, p + ".norm", width);
    String in = nn.conv(normed, p + ".proj_in", width, width, 1, 1);
    String tokens = nn.toTokens(in, p + ".tokens", width);
    String h1 = nn.layerNorm(tokens, p + ".ln1", width);
    String a1 = nn.attention(h1, h1, p + ".attn1", width, width, config.heads(), false);
    String r1 = nn.add(tokens, a1, p + ".r1");
    String h2 = nn.layerNorm(r1, p + ".ln2", width);
    String a2 =
        nn.attention(
            h2,
            "encoder_hidden_states",
            p + ".attn2",
            width,
            config.crossAttentionDim(),
            config.heads(),
            false);
    String r2 = nn.add(r1, a2, p + ".r2");
    String h3 = nn.layerNorm(r2, p + ".ln3", width);
    // GEGLU: one projection to 2 × 4·width, halves split, value × GELU(gate).
    String proj = nn.linear(h3, p + ".ff.proj", width, 8 * width, true);
    m.longInitializer(p + ".ff.halves", new long[] {2}, new long[] {4L * width, 4L * width})
        .node(
            "Split",
            List.of(proj, p + ".ff.halves"),
            List.of(p + ".ff.value", p + ".ff.gate"),
            Attribute.of("axis", -1L));
    String gated = nn.gelu(p + ".ff.gate", p + ".ff.gelu");
    m.node("Mul", List.of(p + ".ff.value", gated), List.of(p + ".ff.geglu"));
    String ff = nn.linear(p + ".ff.geglu", p + ".ff.out", 4 * width, width, true);
    String r3 = nn.add(r2, ff, p + ".r3");
    String spatial = nn.toSpatial(r3, p + ".tokens", p + ".spatial");
    String out = nn.conv(spatial, p + ".proj_out", width, width, 1, 1);
    return nn.add(out, x, p + ".out");
  }
}
