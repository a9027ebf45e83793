package multimodal.generator.inference.vision;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find the real vision models and the TF.js goldens: model-import's build output
 * and testdata/vision-golden, by path relative to this module. A missing model fails the test (the
 * build produces it) unless {@code -Dvision.models.optional=true}, which skips with the reason.
 */
public final class VisionTestModels {
  public static final Path MODELS =
      Path.of(System.getProperty("vision.models.dir", "../model-import/target/models"));
  public static final Path GOLDEN = Path.of("../testdata/vision-golden");
  public static final Path IMAGES = Path.of("../testdata/images");

  private VisionTestModels() {}

  public static Path detectorDir() {
    return require(MODELS.resolve("centernet-coco"));
  }

  public static Path safetyDir() {
    return require(MODELS.resolve("nsfw-mobilenet-v2-mid"));
  }

  public static Path golden(String name) {
    return require(GOLDEN.resolve(name));
  }

  private static Path require(Path path) {
    if (!Files.exists(path)) {
      String reason =
          path.toAbsolutePath().normalize()
              + " is missing: model-import's build writes the vision"
              + " models and testdata/vision-golden holds the TF.js reference outputs";
      if (Boolean.getBoolean("vision.models.optional")) {
        assumeTrue(false, reason + " (skipped: -Dvision.models.optional=true)");
      }
      fail(reason + " (build model-import first, or pass -Dvision.models.optional=true to skip)");
    }
    return path;
  }
}
