package multimodal.generator;

import java.nio.file.Path;
import multimodal.devkit.onnx.CaptionFixtureModels;

/** Fixture models generated into target/ by the devkit (the same files the local run uses). */
public final class TestModels {
  public static final Path DIR = Path.of("target", "test-models");

  private TestModels() {}

  public static synchronized Path florence2Fixture() {
    return CaptionFixtureModels.writeFlorence2Fixture(DIR);
  }

  public static synchronized Path vqaFixture() {
    return CaptionFixtureModels.writeVqaFixture(DIR);
  }

  public static synchronized Path captionFixture() {
    return CaptionFixtureModels.writeCaptionFixture(DIR);
  }
}
