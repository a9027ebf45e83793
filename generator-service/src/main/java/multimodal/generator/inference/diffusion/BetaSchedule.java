package multimodal.generator.inference.diffusion;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The training noise schedule of a scheduler config: betas from {@code beta_schedule} (or {@code
 * trained_betas}) and their cumulative products ᾱ_t = Π(1 − β_i), as diffusers defines them: {@code
 * linear} = evenly from beta_start to beta_end, {@code scaled_linear} = the square of evenly spaced
 * √beta_start..√beta_end, {@code squaredcos_cap_v2} = the cosine schedule (ᾱ(t) = cos²((t + 0.008)
 * / 1.008 · π/2), each β capped at 0.999). Computed in double (diffusers uses float32; the
 * difference is below what a float32 UNet input can tell apart).
 */
final class BetaSchedule {
  private BetaSchedule() {}

  /**
   * @param defaultStart diffusers' default for this scheduler class (0.0001 for Euler and DDIM,
   *     0.00085 for LCM); likewise the end and schedule
   */
  static double[] alphasCumprod(
      SchedulerConfig config, double defaultStart, double defaultEnd, String defaultSchedule) {
    double[] betas = betas(config, defaultStart, defaultEnd, defaultSchedule);
    double[] alphasCumprod = new double[betas.length];
    double product = 1;
    for (int t = 0; t < betas.length; t++) {
      product *= 1 - betas[t];
      alphasCumprod[t] = product;
    }
    return alphasCumprod;
  }

  private static double[] betas(
      SchedulerConfig config, double defaultStart, double defaultEnd, String defaultSchedule) {
    config.refuse("rescale_betas_zero_snr");
    JsonNode trained = config.node("trained_betas");
    if (trained.isArray() && !trained.isEmpty()) {
      double[] betas = new double[trained.size()];
      for (int i = 0; i < betas.length; i++) {
        betas[i] = trained.get(i).asDouble();
      }
      return betas;
    }
    int n = config.integer("num_train_timesteps", 1000);
    if (n < 2) {
      throw config.invalid("num_train_timesteps must be at least 2, was " + n);
    }
    double start = config.number("beta_start", defaultStart);
    double end = config.number("beta_end", defaultEnd);
    String schedule = config.text("beta_schedule", defaultSchedule);
    double[] betas = new double[n];
    switch (schedule) {
      case "linear" -> {
        for (int i = 0; i < n; i++) {
          betas[i] = start + (end - start) * i / (n - 1);
        }
      }
      case "scaled_linear" -> {
        double from = Math.sqrt(start);
        double to = Math.sqrt(end);
        for (int i = 0; i < n; i++) {
          double root = from + (to - from) * i / (n - 1);
          betas[i] = root * root;
        }
      }
      case "squaredcos_cap_v2" -> {
        for (int i = 0; i < n; i++) {
          betas[i] =
              Math.min(1 - cosineAlphaBar((i + 1.0) / n) / cosineAlphaBar((double) i / n), 0.999);
        }
      }
      default ->
          throw config.invalid(
              "beta_schedule '"
                  + schedule
                  + "' is not supported (linear, scaled_linear, squaredcos_cap_v2)");
    }
    return betas;
  }

  private static double cosineAlphaBar(double t) {
    double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
    return c * c;
  }
}
