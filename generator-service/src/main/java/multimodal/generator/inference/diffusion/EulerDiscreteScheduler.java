package multimodal.generator.inference.diffusion;

/**
 * diffusers' {@code EulerDiscreteScheduler} (and, with {@code ancestral}, {@code
 * EulerAncestralDiscreteScheduler}) without churn: σ_t = √((1 − ᾱ_t) / ᾱ_t), linearly interpolated
 * at the (possibly fractional) timesteps, then 0; the UNet sees {@code x / √(σ² + 1)}; a step
 * estimates x0 from the prediction, takes the derivative {@code d = (x − x0) / σ} and moves to
 * {@code x + d · (σ_next − σ)}. The ancestral variant steps to σ_down and adds fresh noise of σ_up
 * (σ_up = √(σ_next² (σ² − σ_next²) / σ²), σ_down = √(σ_next² − σ_up²)), drawing only when σ_up > 0.
 * The initial noise is σ_max for linspace and trailing spacing and √(σ_max² + 1) for leading.
 */
final class EulerDiscreteScheduler implements NoiseScheduler {
  static final String NAME = "EulerDiscreteScheduler";
  static final String ANCESTRAL_NAME = "EulerAncestralDiscreteScheduler";

  private final double[] timesteps;
  private final double[] sigmas;
  private final double initNoiseSigma;
  private final PredictionType prediction;
  private final boolean ancestral;

  EulerDiscreteScheduler(SchedulerConfig config, int steps, boolean ancestral) {
    this.ancestral = ancestral;
    config.refuse("use_karras_sigmas");
    config.refuse("use_exponential_sigmas");
    config.refuse("use_beta_sigmas");
    String interpolation = config.text("interpolation_type", "linear");
    if (!"linear".equals(interpolation)) {
      throw config.invalid("interpolation_type '" + interpolation + "' is not supported (linear)");
    }
    this.prediction = config.predictionType();
    double[] alphasCumprod = BetaSchedule.alphasCumprod(config, 0.0001, 0.02, "linear");
    this.timesteps =
        TimestepSpacing.timesteps(config, "linspace", steps, alphasCumprod.length, false);
    this.sigmas = new double[steps + 1];
    for (int i = 0; i < steps; i++) {
      sigmas[i] = interpolatedSigma(alphasCumprod, timesteps[i]);
    }
    double max = 0;
    for (double sigma : sigmas) {
      max = Math.max(max, sigma);
    }
    String spacing = config.text("timestep_spacing", "linspace");
    this.initNoiseSigma =
        "linspace".equals(spacing) || "trailing".equals(spacing) ? max : Math.sqrt(max * max + 1);
  }

  private static double interpolatedSigma(double[] alphasCumprod, double t) {
    int below = (int) Math.floor(t);
    int above = Math.min(below + 1, alphasCumprod.length - 1);
    double fraction = t - below;
    double low = sigma(alphasCumprod[below]);
    return low + (sigma(alphasCumprod[above]) - low) * fraction;
  }

  private static double sigma(double alphaBar) {
    return Math.sqrt((1 - alphaBar) / alphaBar);
  }

  @Override
  public double[] timesteps() {
    return timesteps.clone();
  }

  @Override
  public double initNoiseSigma() {
    return initNoiseSigma;
  }

  @Override
  public double inputScale(int step) {
    return 1 / Math.sqrt(sigmas[step] * sigmas[step] + 1);
  }

  @Override
  public void step(int step, float[] modelOutput, float[] sample, CandidateNoise noise) {
    double sigma = sigmas[step];
    double next = sigmas[step + 1];
    double target = next;
    double up = 0;
    if (ancestral) {
      up = Math.sqrt(next * next * (sigma * sigma - next * next) / (sigma * sigma));
      target = Math.sqrt(next * next - up * up);
    }
    // The prediction's conversions are written for the variance-preserving sample x/√(σ²+1).
    double alphaBar = 1 / (sigma * sigma + 1);
    double scale = Math.sqrt(alphaBar);
    double dt = target - sigma;
    float[] fresh = up > 0 ? noise.draw() : null;
    for (int i = 0; i < sample.length; i++) {
      double x = sample[i];
      double original = prediction.original(modelOutput[i], x * scale, alphaBar);
      double derivative = (x - original) / sigma;
      double moved = x + derivative * dt;
      if (fresh != null) {
        moved += fresh[i] * up;
      }
      sample[i] = (float) moved;
    }
  }
}
