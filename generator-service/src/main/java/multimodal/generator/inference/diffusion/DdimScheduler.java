package multimodal.generator.inference.diffusion;

/**
 * diffusers' {@code DDIMScheduler} with η = 0 (deterministic): from x_t and the prediction it
 * estimates x0 (clipped to ±{@code clip_sample_range} when {@code clip_sample}; ε is not re-derived
 * from the clipped x0, as diffusers' {@code use_clipped_model_output} is off in its pipelines) and
 * ε, and moves to {@code √ᾱ_prev · x0 + √(1 − ᾱ_prev) · ε} with prev = t − n div s; before the
 * first training step ᾱ_prev is 1 when {@code set_alpha_to_one}, else ᾱ_0. The UNet input is not
 * scaled and the initial noise has σ = 1. Defaults as diffusers' for this class (linear betas
 * 0.0001–0.02, leading spacing, clip_sample true).
 */
final class DdimScheduler extends VariancePreservingScheduler {
  static final String NAME = "DDIMScheduler";

  private final int stepRatio;

  DdimScheduler(SchedulerConfig config, int steps) {
    super(
        new DiscreteSchedule(config, 0.0001, 0.02, "linear", true),
        schedule ->
            TimestepSpacing.timesteps(config, "leading", steps, schedule.trainSteps(), true));
    this.stepRatio = schedule.trainSteps() / steps;
  }

  @Override
  public void step(int step, float[] modelOutput, float[] sample, CandidateNoise noise) {
    int t = timestep(step);
    double alphaBar = schedule.alphaBar(t);
    double alphaBarPrev = schedule.alphaBar(t - stepRatio);
    double signalPrev = Math.sqrt(alphaBarPrev);
    double noisePrev = Math.sqrt(1 - alphaBarPrev);
    for (int i = 0; i < sample.length; i++) {
      double x = sample[i];
      double original = schedule.original(modelOutput[i], x, alphaBar);
      double epsilon = schedule.prediction().epsilon(modelOutput[i], x, alphaBar);
      sample[i] = (float) (signalPrev * original + noisePrev * epsilon);
    }
  }
}
