package multimodal.generator.inference.diffusion;

import ai.onnxruntime.OrtException;
import multimodal.generator.inference.generation.GenerationControl;

/**
 * The noise prediction of one step with classifier-free guidance: {@code ε = ε_uncond + g · (ε_cond
 * − ε_uncond)}, the unconditional branch conditioned on the negative prompt (empty by default).
 * With {@code batched}, both branches go through the UNet as one batch of 2N rows (unconditional
 * first, as diffusers orders them): one run per step, more work per run; otherwise as two runs of
 * N. A guidance scale of at most 1 skips the unconditional branch altogether (diffusers' rule),
 * which is how few-step (turbo/LCM) models run.
 */
final class GuidedDenoiser {
  private final Unet unet;
  private final float[] conditional;
  private final float[] unconditional;
  private final float[] both;
  private final int tokens;
  private final int width;
  private final float guidance;
  private final boolean batched;

  /**
   * @param conditional N blocks of the prompt's hidden states
   * @param unconditional N blocks of the negative prompt's, or null without guidance
   */
  GuidedDenoiser(
      Unet unet,
      float[] conditional,
      float[] unconditional,
      int tokens,
      int width,
      float guidance,
      boolean batched) {
    this.unet = unet;
    this.conditional = conditional;
    this.unconditional = unconditional;
    this.tokens = tokens;
    this.width = width;
    this.guidance = guidance;
    this.batched = batched && unconditional != null;
    this.both = this.batched ? concat(unconditional, conditional) : null;
  }

  static boolean guided(float guidanceScale) {
    return guidanceScale > 1f;
  }

  /** UNet runs per step. */
  int runsPerStep() {
    return unconditional == null || batched ? 1 : 2;
  }

  float[] predict(
      float[] input, int rows, int height, int width, double timestep, GenerationControl control)
      throws OrtException {
    if (unconditional == null) {
      return unet.predict(
          input, rows, height, width, timestep, conditional, tokens, this.width, control);
    }
    float[] uncond;
    float[] cond;
    if (batched) {
      float[] out =
          unet.predict(
              concat(input, input),
              2 * rows,
              height,
              width,
              timestep,
              both,
              tokens,
              this.width,
              control);
      uncond = new float[input.length];
      cond = new float[input.length];
      System.arraycopy(out, 0, uncond, 0, input.length);
      System.arraycopy(out, input.length, cond, 0, input.length);
    } else {
      uncond =
          unet.predict(
              input, rows, height, width, timestep, unconditional, tokens, this.width, control);
      control.check();
      cond =
          unet.predict(
              input, rows, height, width, timestep, conditional, tokens, this.width, control);
    }
    float[] guided = new float[input.length];
    for (int i = 0; i < guided.length; i++) {
      guided[i] = uncond[i] + guidance * (cond[i] - uncond[i]);
    }
    return guided;
  }

  private static float[] concat(float[] first, float[] second) {
    float[] out = new float[first.length + second.length];
    System.arraycopy(first, 0, out, 0, first.length);
    System.arraycopy(second, 0, out, first.length, second.length);
    return out;
  }
}
