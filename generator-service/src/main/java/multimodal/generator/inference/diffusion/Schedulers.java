package multimodal.generator.inference.diffusion;

import java.util.List;

/** The scheduler classes this pipeline implements, by diffusers {@code _class_name}. */
public final class Schedulers {
  /** The supported {@code _class_name}s. */
  public static final List<String> SUPPORTED =
      List.of(
          EulerDiscreteScheduler.NAME,
          EulerDiscreteScheduler.ANCESTRAL_NAME,
          DdimScheduler.NAME,
          LcmScheduler.NAME);

  private Schedulers() {}

  /**
   * A scheduler for {@code steps} steps.
   *
   * @throws IllegalArgumentException for an unknown class or unsupported setting, naming the file
   */
  static NoiseScheduler create(SchedulerConfig config, int steps) {
    return switch (config.className()) {
      case EulerDiscreteScheduler.NAME -> new EulerDiscreteScheduler(config, steps, false);
      case EulerDiscreteScheduler.ANCESTRAL_NAME -> new EulerDiscreteScheduler(config, steps, true);
      case DdimScheduler.NAME -> new DdimScheduler(config, steps);
      case LcmScheduler.NAME -> new LcmScheduler(config, steps);
      default ->
          throw config.invalid(
              "scheduler class '"
                  + config.className()
                  + "' is not supported (supported: "
                  + String.join(", ", SUPPORTED)
                  + "; generator.diffusion.scheduler runs another class with this file's"
                  + " settings)");
    };
  }
}
