package multimodal.generator.inference.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Timesteps and noise levels against values diffusers gives for Stable Diffusion 1.5's scheduler
 * settings (scaled-linear betas 0.00085–0.012, 1000 training steps).
 */
class SchedulersTest {
  private static final String SD15 =
      "{\"beta_start\": 0.00085, \"beta_end\": 0.012, \"beta_schedule\": \"scaled_linear\","
          + " \"num_train_timesteps\": 1000, \"clip_sample\": false, \"set_alpha_to_one\": false";

  private static SchedulerConfig config(String className, String extra) throws IOException {
    return new SchedulerConfig(
        className, new ObjectMapper().readTree(SD15 + extra + "}"), "test scheduler_config.json");
  }

  @org.junit.jupiter.api.Test
  void ddimLeadingWithOffsetOneCountsDownFrom981() throws IOException {
    double[] timesteps =
        Schedulers.create(
                config(
                    DdimScheduler.NAME, ", \"steps_offset\": 1, \"timestep_spacing\": \"leading\""),
                50)
            .timesteps();
    assertThat(timesteps).hasSize(50);
    assertThat(timesteps[0]).isEqualTo(981);
    assertThat(timesteps[1]).isEqualTo(961);
    assertThat(timesteps[49]).isEqualTo(1);
  }

  @org.junit.jupiter.api.Test
  void eulerSpacingsAndInitialSigma() throws IOException {
    NoiseScheduler linspace =
        Schedulers.create(
            config(EulerDiscreteScheduler.NAME, ", \"timestep_spacing\": \"linspace\""), 4);
    assertThat(linspace.timesteps()).containsExactly(999, 666, 333, 0);
    // σ at t = 999 of SD's schedule, which diffusers reports as init_noise_sigma for linspace
    assertThat(linspace.initNoiseSigma()).isCloseTo(14.6146, within(1e-3));
    assertThat(linspace.inputScale(0))
        .isCloseTo(1 / Math.sqrt(14.6146 * 14.6146 + 1), within(1e-5));

    NoiseScheduler leading =
        Schedulers.create(
            config(
                EulerDiscreteScheduler.NAME,
                ", \"timestep_spacing\": \"leading\", \"steps_offset\": 1"),
            10);
    assertThat(leading.timesteps()).containsExactly(901, 801, 701, 601, 501, 401, 301, 201, 101, 1);
    double sigma901 = leading.initNoiseSigma();
    assertThat(sigma901).isGreaterThan(1).isLessThan(14.6146); // √(σ_901² + 1) for leading spacing

    NoiseScheduler trailing =
        Schedulers.create(
            config(EulerDiscreteScheduler.NAME, ", \"timestep_spacing\": \"trailing\""), 4);
    assertThat(trailing.timesteps()).containsExactly(999, 749, 499, 249);
    assertThat(trailing.initNoiseSigma()).isCloseTo(14.6146, within(1e-3));
  }

  @org.junit.jupiter.api.Test
  void lcmTakesFourStepsFromTheFiftyStepGrid() throws IOException {
    assertThat(Schedulers.create(config(LcmScheduler.NAME, ""), 4).timesteps())
        .containsExactly(999, 759, 499, 259);
    assertThat(Schedulers.create(config(LcmScheduler.NAME, ""), 1).timesteps())
        .containsExactly(999);
  }

  @org.junit.jupiter.api.Test
  void aPerfectNoisePredictionLandsOnTheCleanSample() throws IOException {
    // x_T = σ_max · z and the model predicting exactly z: Euler and DDIM must end at x0 = 0 + the
    // clean signal; here x0 = 0.7 everywhere, so the noise the model predicts is known at each
    // step.
    for (String name : new String[] {EulerDiscreteScheduler.NAME, DdimScheduler.NAME}) {
      // set_alpha_to_one: DDIM's last step then goes all the way to ᾱ = 1 (a later key wins)
      SchedulerConfig config =
          config(
              name,
              ", \"timestep_spacing\": \"leading\", \"steps_offset\": 1,"
                  + " \"set_alpha_to_one\": true");
      NoiseScheduler scheduler = Schedulers.create(config, 25);
      double[] alphas = BetaSchedule.alphasCumprod(config, 0, 0, "linear");
      CandidateNoise noise = new CandidateNoise(5, 1, 16);
      float[] sample = noise.draw();
      for (int i = 0; i < sample.length; i++) {
        sample[i] *= (float) scheduler.initNoiseSigma();
      }
      double[] timesteps = scheduler.timesteps();
      for (int step = 0; step < timesteps.length; step++) {
        double alphaBar = alphas[(int) timesteps[step]];
        float[] prediction = new float[sample.length];
        for (int i = 0; i < sample.length; i++) {
          double x = sample[i] * scheduler.inputScale(step);
          prediction[i] = (float) ((x - Math.sqrt(alphaBar) * 0.7) / Math.sqrt(1 - alphaBar));
        }
        scheduler.step(step, prediction, sample, noise);
      }
      for (float value : sample) {
        assertThat((double) value).as(name).isCloseTo(0.7, within(1e-3));
      }
    }
  }
}
