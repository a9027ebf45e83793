package multimodal.generator;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Generates the caption fixture and points {@code generator.models.caption.dir} at it. */
public class CaptionFixtureResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    return Map.of("generator.models.caption.dir", TestModels.captionFixture().toString());
  }

  @Override
  public void stop() {}
}
