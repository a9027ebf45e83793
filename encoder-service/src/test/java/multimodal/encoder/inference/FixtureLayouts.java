package multimodal.encoder.inference;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import multimodal.encoder.TestModels;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The generated CLIP fixture in its three layouts ("split", "combined", "immich"), and the split
 * one in int8 ("split-int8"),, loaded by directory through {@link ModelLoader} before a test class
 * and closed after it: {@code @RegisterExtension static final FixtureLayouts LAYOUTS = new
 * FixtureLayouts();}.
 */
final class FixtureLayouts implements BeforeAllCallback, AfterAllCallback {
  private final Map<String, ClipModel> models = new LinkedHashMap<>();

  ClipModel get(String layout) {
    return models.get(layout);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    models.put(
        "split",
        (ClipModel) ClipModelTest.LOADER.load("split", TestModels.clipFixture(), Optional.empty()));
    models.put(
        "combined",
        (ClipModel)
            ClipModelTest.LOADER.load("combined", TestModels.combinedFixture(), Optional.empty()));
    // The split layout with its graphs rewritten to int8: the fixture's behaviour must survive it.
    models.put(
        "split-int8",
        (ClipModel)
            ClipModelTest.LOADER.load(
                "split-int8", TestModels.clipFixture(), Optional.empty(), Precision.INT8));
    models.put(
        "immich",
        (ClipModel)
            ClipModelTest.LOADER.load("immich", TestModels.immichFixture(), Optional.empty()));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    for (ClipModel model : models.values()) {
      model.close();
    }
    models.clear();
  }
}
