package multimodal.generator;

import java.nio.file.Path;
import multimodal.devkit.onnx.CaptionFixtureModels;
import multimodal.devkit.onnx.EndlessFixtures;

/** Fixture models generated into target/ by the devkit (the same files the local run uses). */
public final class TestModels {
  public static final Path DIR = Path.of("target", "test-models");

  /**
   * Matrix products per step of the endless fixtures: an uncancelled 512-token run takes seconds.
   */
  public static final int ENDLESS_WORK = 40;

  private TestModels() {}

  public static synchronized Path florence2Fixture() {
    return CaptionFixtureModels.writeFlorence2Fixture(DIR);
  }

  public static synchronized Path vqaFixture() {
    return CaptionFixtureModels.writeVqaFixture(DIR);
  }

  /** The text-to-image fixture (Euler-discrete), as the local run uses it. */
  public static synchronized Path diffusionFixture() {
    return CaptionFixtureModels.writeDiffusionFixture(DIR);
  }

  public static synchronized Path captionFixture() {
    return CaptionFixtureModels.writeCaptionFixture(DIR);
  }

  /** The caption fixture with a decoder that never stops (see {@link EndlessFixtures}). */
  public static synchronized Path endlessCaptionFixture() {
    return new EndlessFixtures(ENDLESS_WORK).writeCaption(DIR);
  }

  /** The VQA fixture with a decoder that never stops. */
  public static synchronized Path endlessVqaFixture() {
    return new EndlessFixtures(ENDLESS_WORK).writeVqa(DIR);
  }
}
