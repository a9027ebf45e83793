package multimodal.generator.inference.diffusion;

import java.util.function.Function;

/**
 * What the ᾱ-parameterised (variance-preserving) schedulers, DDIM and LCM, share: the training
 * schedule, a fixed list of timesteps computed from it, a UNet input that is not scaled and initial
 * noise of σ = 1 (the σ-parameterised Euler schedulers differ in all three).
 */
abstract class VariancePreservingScheduler implements NoiseScheduler {
  final DiscreteSchedule schedule;
  private final double[] timesteps;

  /**
   * @param timesteps the inference timesteps for the schedule (its training step count decides
   *     them)
   */
  VariancePreservingScheduler(
      DiscreteSchedule schedule, Function<DiscreteSchedule, double[]> timesteps) {
    this.schedule = schedule;
    this.timesteps = timesteps.apply(schedule);
  }

  @Override
  public final double[] timesteps() {
    return timesteps.clone();
  }

  @Override
  public final double initNoiseSigma() {
    return 1;
  }

  @Override
  public final double inputScale(int step) {
    return 1;
  }

  /** The training timestep of {@code step}. */
  final int timestep(int step) {
    return (int) timesteps[step];
  }

  final boolean last(int step) {
    return step == timesteps.length - 1;
  }
}
