package multimodal.generator.inference.diffusion;

/**
 * What DDIM and LCM share: ᾱ_t of the training schedule, the ᾱ used past its first step ({@code
 * set_alpha_to_one}: 1, else ᾱ_0), and the x0 estimate from the prediction, clipped to ±{@code
 * clip_sample_range} when {@code clip_sample}.
 */
final class DiscreteSchedule {
  private final double[] alphasCumprod;
  private final double finalAlphaCumprod;
  private final PredictionType prediction;
  private final boolean clip;
  private final double clipRange;

  DiscreteSchedule(
      SchedulerConfig config,
      double defaultStart,
      double defaultEnd,
      String defaultSchedule,
      boolean defaultClip) {
    config.refuse("thresholding");
    this.prediction = config.predictionType();
    this.alphasCumprod =
        BetaSchedule.alphasCumprod(config, defaultStart, defaultEnd, defaultSchedule);
    this.finalAlphaCumprod = config.flag("set_alpha_to_one", true) ? 1.0 : alphasCumprod[0];
    this.clip = config.flag("clip_sample", defaultClip);
    this.clipRange = config.number("clip_sample_range", 1.0);
  }

  int trainSteps() {
    return alphasCumprod.length;
  }

  /** ᾱ at training step {@code t}; before step 0 the final value. */
  double alphaBar(int t) {
    return t >= 0 ? alphasCumprod[t] : finalAlphaCumprod;
  }

  PredictionType prediction() {
    return prediction;
  }

  /** The x0 estimate at one element of x_t. */
  double original(double output, double sample, double alphaBar) {
    double original = prediction.original(output, sample, alphaBar);
    return clip ? Math.max(-clipRange, Math.min(clipRange, original)) : original;
  }
}
