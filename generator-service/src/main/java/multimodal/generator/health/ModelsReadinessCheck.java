package multimodal.generator.health;

import jakarta.inject.Singleton;
import multimodal.generator.ServedModels;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once every configured model (and Tesseract, when enabled) is loaded. Kafka adds its own
 * check.
 */
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
    models
        .get()
        .captioners()
        .forEach((name, model) -> builder.withData(name, model.layout() + " " + model.version()));
    models
        .get()
        .answerers()
        .forEach((name, model) -> builder.withData(name, model.layout() + " " + model.version()));
    models.get().ocr().ifPresent(ocr -> builder.withData("ocr", ocr.engine()));
    return builder.build();
  }
}
