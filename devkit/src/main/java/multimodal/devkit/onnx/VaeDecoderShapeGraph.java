package multimodal.devkit.onnx;

import static multimodal.devkit.onnx.OnnxModelWriter.FLOAT;

import java.util.List;

/**
 * The decoder of Stable Diffusion's {@code AutoencoderKL} (SD 1.x/2.x, block widths
 * 128/256/512/512, 2 layers per block) as an ONNX graph with random weights, in the standard
 * export's interface: {@code latent_sample} float {@code [B, 4, h, w]} → {@code sample} float
 * {@code [B, 3, 8h, 8w]}. Real layout: 1×1 post-quant conv, 3×3 conv to 512, mid block (ResNet,
 * single-head self-attention over all pixels with GroupNorm, ResNet), four up blocks of three
 * ResNet blocks (512, 512, 256, 128 wide) with nearest 2× upsampling + conv after the first three,
 * GroupNorm, SiLU, 3×3 conv to RGB. About 49.5 M parameters; at 512×512 it costs more than one UNet
 * step.
 */
final class VaeDecoderShapeGraph {
  static final int[] BLOCK_CHANNELS = {128, 256, 512, 512};
  static final int LAYERS_PER_BLOCK = 2;

  private final OnnxModelWriter m =
      new OnnxModelWriter("vae_decoder")
          .input(
              "latent_sample",
              FLOAT,
              "batch",
              DiffusionShapeModel.LATENT_CHANNELS,
              "height",
              "width")
          .output("sample", FLOAT, "batch", 3, "image_height", "image_width");
  private final ConvLayers nn;

  VaeDecoderShapeGraph(long seed) {
    nn = new ConvLayers(m, seed, 1e-6f);
  }

  long parameters() {
    return nn.parameters();
  }

  OnnxModelWriter build() {
    int latent = DiffusionShapeModel.LATENT_CHANNELS;
    int top = BLOCK_CHANNELS[BLOCK_CHANNELS.length - 1];
    String h = nn.conv("latent_sample", "post_quant_conv", latent, latent, 1, 1);
    h = nn.conv(h, "conv_in", latent, top, 3, 1);
    h = nn.resnet(h, "mid.resnet0", top, top, null, 0);
    String normed = nn.groupNorm(h, "mid.attn.norm", top);
    String tokens = nn.toTokens(normed, "mid.attn.tokens", top);
    String attended = nn.attention(tokens, tokens, "mid.attn", top, top, 1, true);
    String spatial = nn.toSpatial(attended, "mid.attn.tokens", "mid.attn.spatial");
    h = nn.add(h, spatial, "mid.attn.residual");
    h = nn.resnet(h, "mid.resnet1", top, top, null, 0);
    int width = top;
    for (int u = 0; u < BLOCK_CHANNELS.length; u++) {
      int out = BLOCK_CHANNELS[BLOCK_CHANNELS.length - 1 - u];
      for (int l = 0; l <= LAYERS_PER_BLOCK; l++) {
        h = nn.resnet(h, "up" + u + ".resnet" + l, width, out, null, 0);
        width = out;
      }
      if (u < BLOCK_CHANNELS.length - 1) {
        h = nn.upsample(h, "up" + u + ".upsample", width);
      }
    }
    h = nn.silu(nn.groupNorm(h, "norm_out", width), "act_out");
    nn.conv(h, "conv_out", width, 3, 3, 1);
    m.node("Identity", List.of("conv_out"), List.of("sample"));
    return m;
  }
}
