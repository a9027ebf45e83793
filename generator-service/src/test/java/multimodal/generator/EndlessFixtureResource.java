package multimodal.generator;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The fixtures plus two models that never stop generating ({@code endless}: ViT-GPT2 layout, {@code
 * endless-vqa}: SmolVLM layout), and a short {@code generator.generation-timeout}, for the
 * cancellation and deadline tests.
 */
public class EndlessFixtureResource implements QuarkusTestResourceLifecycleManager {
  public static final String GENERATION_TIMEOUT = "3s";

  @Override
  public Map<String, String> start() {
    return Map.of(
        "generator.models.caption.dir", TestModels.captionFixture().toString(),
        "generator.models.vqa.dir", TestModels.vqaFixture().toString(),
        "generator.models.endless.dir", TestModels.endlessCaptionFixture().toString(),
        "generator.models.endless.layout", "vit-gpt2",
        "generator.models.endless-vqa.dir", TestModels.endlessVqaFixture().toString(),
        "generator.models.endless-vqa.layout", "smolvlm",
        "generator.generation-timeout", GENERATION_TIMEOUT);
  }

  @Override
  public void stop() {}
}
