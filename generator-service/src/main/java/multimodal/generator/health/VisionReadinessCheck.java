package multimodal.generator.health;

import jakarta.inject.Singleton;
import multimodal.generator.inference.vision.VisionAnalyzer;
import multimodal.generator.vision.VisionModels;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The vision models' state: UP when loaded or when vision is off (saying so), DOWN while loading or
 * failed.
 */
@Readiness
@Singleton
public class VisionReadinessCheck implements HealthCheck {
  private final VisionModels models;

  public VisionReadinessCheck(VisionModels models) {
    this.models = models;
  }

  @Override
  public HealthCheckResponse call() {
    var builder =
        HealthCheckResponse.named("vision").withData("state", models.state().name().toLowerCase());
    switch (models.state()) {
      case OFF -> builder.up().withData("reason", models.offReason());
      case LOADING, FAILED -> builder.down();
      case READY -> {
        VisionAnalyzer analyzer = models.get();
        analyzer
            .detector()
            .ifPresent(
                d ->
                    builder.withData(
                        "detector",
                        d.name() + " " + d.version() + (d.fixture() ? " (fixture)" : "")));
        analyzer
            .safety()
            .ifPresent(
                s ->
                    builder.withData(
                        "safety",
                        s.name() + " " + s.version() + (s.fixture() ? " (fixture)" : "")));
        builder.up();
      }
    }
    return builder.build();
  }
}
