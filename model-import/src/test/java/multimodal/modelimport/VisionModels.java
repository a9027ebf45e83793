package multimodal.modelimport;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the build's import step (ImportVisionModels, bound to process-classes) wrote the models.
 */
final class VisionModels {

  private VisionModels() {}

  /**
   * Surefire sets vision.models.dir; a bench main started from the repository root finds the
   * module's folder.
   */
  static Path dir() {
    String configured = System.getProperty("vision.models.dir");
    if (configured != null) return Path.of(configured);
    Path fromModule = Path.of("target/models");
    return Files.isDirectory(fromModule) ? fromModule : Path.of("model-import/target/models");
  }

  /**
   * The model file; tests that need it are skipped only when the developer switched the fetch off.
   */
  static Path onnx(String model) {
    assumeFalse(
        Boolean.getBoolean("vision.models.skip"),
        "vision.models.skip=true: real models not fetched");
    Path p = dir().resolve(model).resolve("model.onnx");
    if (!Files.exists(p))
      throw new IllegalStateException(
          p + " is missing: the process-classes import step did not run");
    return p;
  }
}
