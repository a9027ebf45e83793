package multimodal.generator.inference.diffusion;

/**
 * diffusers' {@code DDIMScheduler} with η = 0 (deterministic): from x_t and the prediction it
 * estimates x0 (clipped to ±{@code clip_sample_range} when {@code clip_sample}) and ε, and moves to
 * {@code √ᾱ_prev · x0 + √(1 − ᾱ_prev) · ε} with prev = t − n div s; before the first training step
 * ᾱ_prev is 1 when {@code set_alpha_to_one}, else ᾱ_0. The UNet input is not scaled and the initial
 * noise has σ = 1. Defaults as diffusers' for this class (leading spacing, clip_sample true).
 */
final class DdimScheduler implements NoiseScheduler {
  static final String NAME = "DDIMScheduler";

  private final double[] alphasCumprod;
  private final double finalAlphaCumprod;
  private final double[] timesteps;
  private final int stepRatio;
  private final PredictionType prediction;
  private final boolean clip;
  private final double clipRange;

  DdimScheduler(SchedulerConfig config, int steps) {
    config.refuse("thresholding");
    this.prediction = config.predictionType();
    this.alphasCumprod = BetaSchedule.alphasCumprod(config, 0.0001, 0.02, "linear");
    this.finalAlphaCumprod = config.flag("set_alpha_to_one", true) ? 1.0 : alphasCumprod[0];
    this.timesteps =
        TimestepSpacing.timesteps(config, "leading", steps, alphasCumprod.length, true);
    this.stepRatio = alphasCumprod.length / steps;
    this.clip = config.flag("clip_sample", true);
    this.clipRange = config.number("clip_sample_range", 1.0);
  }

  @Override
  public double[] timesteps() {
    return timesteps.clone();
  }

  @Override
  public double initNoiseSigma() {
    return 1;
  }

  @Override
  public double inputScale(int step) {
    return 1;
  }

  @Override
  public void step(int step, float[] modelOutput, float[] sample, CandidateNoise noise) {
    int t = (int) timesteps[step];
    int prev = t - stepRatio;
    double alphaBar = alphasCumprod[t];
    double alphaBarPrev = prev >= 0 ? alphasCumprod[prev] : finalAlphaCumprod;
    double signalPrev = Math.sqrt(alphaBarPrev);
    double noisePrev = Math.sqrt(1 - alphaBarPrev);
    for (int i = 0; i < sample.length; i++) {
      double x = sample[i];
      double original = prediction.original(modelOutput[i], x, alphaBar);
      double epsilon = prediction.epsilon(modelOutput[i], x, alphaBar);
      if (clip) {
        // only x0 is clipped: diffusers' use_clipped_model_output is off in its pipelines
        original = Math.max(-clipRange, Math.min(clipRange, original));
      }
      sample[i] = (float) (signalPrev * original + noisePrev * epsilon);
    }
  }
}
