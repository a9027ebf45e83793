package multimodal.generator.inference.diffusion;

/**
 * What the UNet predicts ({@code prediction_type} of the scheduler config), and how the schedulers
 * turn it into the clean-sample estimate in variance-preserving space ({@code x_t = √ᾱ x0 + √(1−ᾱ)
 * ε}), following diffusers' definitions.
 */
enum PredictionType {
  /** The noise ε (SD 1.x, most exports). */
  EPSILON,
  /** v = √ᾱ ε − √(1−ᾱ) x0 (SD 2.x 768). */
  V_PREDICTION,
  /** x0 itself. */
  SAMPLE;

  static PredictionType parse(String name) {
    return switch (name) {
      case "epsilon" -> EPSILON;
      case "v_prediction" -> V_PREDICTION;
      case "sample" -> SAMPLE;
      default ->
          throw new IllegalArgumentException(
              "prediction_type '" + name + "' is not supported (epsilon, v_prediction, sample)");
    };
  }

  /** x0 from the model output at one element, with {@code sample} = x_t in VP space. */
  double original(double output, double sample, double alphaBar) {
    double signal = Math.sqrt(alphaBar);
    double noise = Math.sqrt(1 - alphaBar);
    return switch (this) {
      case EPSILON -> (sample - noise * output) / signal;
      case V_PREDICTION -> signal * sample - noise * output;
      case SAMPLE -> output;
    };
  }

  /** ε from the model output at one element, with {@code sample} = x_t in VP space. */
  double epsilon(double output, double sample, double alphaBar) {
    double signal = Math.sqrt(alphaBar);
    double noise = Math.sqrt(1 - alphaBar);
    return switch (this) {
      case EPSILON -> output;
      case V_PREDICTION -> signal * output + noise * sample;
      case SAMPLE -> (sample - signal * output) / noise;
    };
  }
}
