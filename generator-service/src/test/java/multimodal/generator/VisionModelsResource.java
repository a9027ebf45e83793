package multimodal.generator;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import multimodal.generator.inference.vision.VisionTestModels;

/**
 * Points {@code generator.vision.*.dir} at model-import's real models. When they are absent the
 * service starts with vision off and the test's own {@link VisionTestModels} check fails (or skips
 * with {@code -Dvision.models.optional=true}) with the reason.
 */
public class VisionModelsResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>();
    if (Files.isDirectory(VisionTestModels.MODELS.resolve("centernet-coco"))) {
      config.put(
          "generator.vision.detector.dir",
          VisionTestModels.MODELS.resolve("centernet-coco").toString());
    }
    if (Files.isDirectory(VisionTestModels.MODELS.resolve("nsfw-mobilenet-v2-mid"))) {
      config.put(
          "generator.vision.safety.dir",
          VisionTestModels.MODELS.resolve("nsfw-mobilenet-v2-mid").toString());
    }
    return config;
  }

  @Override
  public void stop() {}
}
