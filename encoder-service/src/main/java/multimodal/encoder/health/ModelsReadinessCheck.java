package multimodal.encoder.health;

import jakarta.inject.Singleton;
import multimodal.encoder.ServedModels;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once every configured model is loaded and has run once. */
@Readiness
@Singleton
public class ModelsReadinessCheck implements HealthCheck {
  private final ServedModels models;

  public ModelsReadinessCheck(ServedModels models) {
    this.models = models;
  }

  @Override
  public HealthCheckResponse call() {
    if (!models.ready()) {
      return HealthCheckResponse.named("models")
          .down()
          .withData("state", models.failed() ? "failed" : "loading")
          .build();
    }
    var builder = HealthCheckResponse.named("models").up();
    models.registry().models().forEach(m -> builder.withData(m.name(), m.version()));
    return builder.build();
  }
}
