package multimodal.generator.inference.diffusion;

/**
 * The inference timesteps of diffusers' {@code set_timesteps} for {@code timestep_spacing}, from
 * the highest (noisiest) down, for {@code n} training steps and {@code s} inference steps:
 *
 * <ul>
 *   <li>{@code linspace}: {@code s} evenly spaced values from n − 1 down to 0 (fractional; DDIM
 *       rounds them);
 *   <li>{@code leading}: {@code i · (n div s) + steps_offset} for i = s − 1 … 0;
 *   <li>{@code trailing}: {@code round(n − i · n / s) − 1} for i = 0 … s − 1.
 * </ul>
 *
 * Rounding is half to even, as numpy's. For {@code trailing} exactly {@code s} values are produced
 * (numpy's {@code arange} can yield one more when n / s is not exact).
 */
final class TimestepSpacing {
  private TimestepSpacing() {}

  static double[] timesteps(
      SchedulerConfig config, String defaultSpacing, int steps, int trainSteps, boolean round) {
    if (steps < 1 || steps > trainSteps) {
      throw new IllegalArgumentException(
          "steps must be 1.." + trainSteps + " for this scheduler, was " + steps);
    }
    String spacing = config.text("timestep_spacing", defaultSpacing);
    int offset = config.integer("steps_offset", 0);
    double[] timesteps = new double[steps];
    switch (spacing) {
      case "linspace" -> {
        for (int i = 0; i < steps; i++) {
          double t = steps == 1 ? 0 : (trainSteps - 1) * (double) (steps - 1 - i) / (steps - 1);
          timesteps[i] = round ? Math.rint(t) : t;
        }
      }
      case "leading" -> {
        int ratio = trainSteps / steps;
        for (int i = 0; i < steps; i++) {
          timesteps[i] = (double) (steps - 1 - i) * ratio + offset;
        }
      }
      case "trailing" -> {
        double ratio = (double) trainSteps / steps;
        for (int i = 0; i < steps; i++) {
          timesteps[i] = Math.rint(trainSteps - i * ratio) - 1;
        }
      }
      default ->
          throw config.invalid(
              "timestep_spacing '" + spacing + "' is not supported (linspace, leading, trailing)");
    }
    return timesteps;
  }
}
