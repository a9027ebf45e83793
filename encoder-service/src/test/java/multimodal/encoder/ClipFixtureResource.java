package multimodal.encoder;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Generates the colour-and-shape CLIP fixture and points {@code encoder.models.clip.dir} at it. */
public class ClipFixtureResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    return Map.of("encoder.models.clip.dir", TestModels.clipFixture().toString());
  }

  @Override
  public void stop() {}
}
