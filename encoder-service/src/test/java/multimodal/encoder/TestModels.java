package multimodal.encoder;

import java.nio.file.Path;
import multimodal.devkit.onnx.FixtureModels;

/** The generated colour CLIP fixture, written once into target/ by the devkit generator. */
public final class TestModels {
  private static Path clip;

  private TestModels() {}

  public static synchronized Path clipFixture() {
    if (clip == null) {
      clip = FixtureModels.writeClipFixture(Path.of("target", "test-models")).toAbsolutePath();
    }
    return clip;
  }
}
