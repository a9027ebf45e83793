package multimodal.generator;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Generates the caption and VQA fixtures and points {@code generator.models.*.dir} at them. */
public class CaptionFixtureResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    return Map.of(
        "generator.models.caption.dir", TestModels.captionFixture().toString(),
        "generator.models.vqa.dir", TestModels.vqaFixture().toString());
  }

  @Override
  public void stop() {}
}
