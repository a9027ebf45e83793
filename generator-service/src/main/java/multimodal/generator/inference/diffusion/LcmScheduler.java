package multimodal.generator.inference.diffusion;

/**
 * diffusers' {@code LCMScheduler}, the few-step mode of latent-consistency models (LCM-distilled or
 * LCM-LoRA-merged UNets, typically 2–8 steps and guidance 1–2): the timesteps are taken from the
 * {@code original_inference_steps} grid {@code k·i − 1} (k = n div original, i = 1 … original) from
 * the top at indices {@code floor(j · original / s)}; each step estimates x0, applies the
 * consistency boundary condition ({@code denoised = c_out · x0 + c_skip · x} with c_skip = σ_d² /
 * (τ² + σ_d²), c_out = τ / √(τ² + σ_d²), τ = t · timestep_scaling, σ_d = 0.5), and unless it is the
 * last step re-noises to the next timestep with fresh seeded noise: {@code √ᾱ_prev · denoised + √(1
 * − ᾱ_prev) · z}. The UNet input is not scaled; the initial noise has σ = 1. LCM-distilled UNets
 * that take a guidance embedding ({@code timestep_cond}) are not supported.
 */
final class LcmScheduler extends VariancePreservingScheduler {
  static final String NAME = "LCMScheduler";
  private static final double SIGMA_DATA = 0.5;

  private final double timestepScaling;

  LcmScheduler(SchedulerConfig config, int steps) {
    super(
        new DiscreteSchedule(config, 0.00085, 0.012, "scaled_linear", false),
        schedule -> timesteps(config, schedule.trainSteps(), steps));
    this.timestepScaling = config.number("timestep_scaling", 10.0);
  }

  private static double[] timesteps(SchedulerConfig config, int trainSteps, int steps) {
    int original = config.integer("original_inference_steps", 50);
    if (original < 1 || original > trainSteps) {
      throw config.invalid("original_inference_steps must be 1.." + trainSteps);
    }
    if (steps < 1 || steps > original) {
      throw new IllegalArgumentException(
          "steps must be 1.." + original + " for LCMScheduler (original_inference_steps)");
    }
    int k = trainSteps / original;
    double[] timesteps = new double[steps];
    for (int j = 0; j < steps; j++) {
      int index = (int) Math.floor((double) j * original / steps);
      timesteps[j] = (double) (original - index) * k - 1; // the grid read from the top
    }
    return timesteps;
  }

  @Override
  public void step(int step, float[] modelOutput, float[] sample, CandidateNoise noise) {
    int t = timestep(step);
    boolean last = last(step);
    int prev = last ? t : timestep(step + 1);
    double alphaBar = schedule.alphaBar(t);
    double alphaBarPrev = schedule.alphaBar(prev);
    double scaled = t * timestepScaling;
    double cSkip = SIGMA_DATA * SIGMA_DATA / (scaled * scaled + SIGMA_DATA * SIGMA_DATA);
    double cOut = scaled / Math.sqrt(scaled * scaled + SIGMA_DATA * SIGMA_DATA);
    float[] fresh = last ? null : noise.draw();
    double signalPrev = Math.sqrt(alphaBarPrev);
    double noisePrev = Math.sqrt(1 - alphaBarPrev);
    for (int i = 0; i < sample.length; i++) {
      double x = sample[i];
      double original = schedule.original(modelOutput[i], x, alphaBar);
      double denoised = cOut * original + cSkip * x;
      sample[i] = (float) (fresh == null ? denoised : signalPrev * denoised + noisePrev * fresh[i]);
    }
  }
}
