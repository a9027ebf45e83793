package multimodal.generator.inference.diffusion;

import java.nio.file.Path;
import multimodal.devkit.onnx.DiffusionFixture;
import multimodal.generator.TestModels;

/** The devkit's diffusion fixture export, generated into target/ with each scheduler. */
final class DiffusionFixtures {
  private DiffusionFixtures() {}

  /** Euler-discrete scheduler, float timestep input. */
  static synchronized Path euler() {
    return new DiffusionFixture(true, EulerDiscreteScheduler.NAME)
        .write(TestModels.DIR, "diffusion-fixture-euler");
  }

  /** DDIM scheduler, int64 timestep input. */
  static synchronized Path ddim() {
    return new DiffusionFixture(false, DdimScheduler.NAME)
        .write(TestModels.DIR, "diffusion-fixture-ddim");
  }
}
