package multimodal.generator.inference.diffusion;

/**
 * One denoising schedule for a fixed number of steps (a new instance per generation): which
 * timesteps the UNet sees, how its input is scaled, and how a noise prediction moves the latents to
 * the next step. Latents of all candidates are one flat {@code [N, C, h, w]} array.
 */
interface NoiseScheduler {
  /** The timesteps given to the UNet, first (noisiest) to last. */
  double[] timesteps();

  /**
   * Standard deviation of the initial latents (the seeded unit Gaussians are multiplied by it): 1
   * for the ᾱ-parameterised schedulers (DDIM, LCM); σ-parameterised ones (Euler) override it.
   */
  default double initNoiseSigma() {
    return 1;
  }

  /**
   * Factor applied to the latents before they go into the UNet at {@code step}: 1 unless the
   * scheduler works in σ space (Euler).
   */
  default double inputScale(int step) {
    return 1;
  }

  /**
   * Replaces {@code sample} (the latents at {@code step}) with the latents of the next step, given
   * the guided model output of this step; stochastic schedulers draw from {@code noise}.
   */
  void step(int step, float[] modelOutput, float[] sample, CandidateNoise noise);
}
