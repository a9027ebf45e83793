package multimodal.generator.inference.diffusion;

/**
 * One denoising schedule for a fixed number of steps (a new instance per generation): which
 * timesteps the UNet sees, how its input is scaled, and how a noise prediction moves the latents to
 * the next step. Latents of all candidates are one flat {@code [N, C, h, w]} array. DDIM and LCM
 * share {@link VariancePreservingScheduler}; Euler works in σ space.
 */
interface NoiseScheduler {
  /** The timesteps given to the UNet, first (noisiest) to last. */
  double[] timesteps();

  /** Standard deviation of the initial latents (the seeded unit Gaussians are multiplied by it). */
  double initNoiseSigma();

  /** Factor applied to the latents before they go into the UNet at {@code step}. */
  double inputScale(int step);

  /**
   * Replaces {@code sample} (the latents at {@code step}) with the latents of the next step, given
   * the guided model output of this step; stochastic schedulers draw from {@code noise}.
   */
  void step(int step, float[] modelOutput, float[] sample, CandidateNoise noise);
}
