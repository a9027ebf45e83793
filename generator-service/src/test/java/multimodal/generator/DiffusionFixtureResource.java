package multimodal.generator;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Generates the diffusion fixture and points {@code generator.diffusion.dir} at it. */
public class DiffusionFixtureResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    return Map.of("generator.diffusion.dir", TestModels.diffusionFixture().toString());
  }

  @Override
  public void stop() {}
}
