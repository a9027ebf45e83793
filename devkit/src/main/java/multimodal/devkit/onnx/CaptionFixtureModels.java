package multimodal.devkit.onnx;

import java.nio.file.Path;

/**
 * Writes the generated captioning fixture (see {@link CaptionFixtures}).
 *
 * <p>Usage: {@code java -cp <devkit classpath> multimodal.devkit.onnx.CaptionFixtureModels
 * <outDir>} writes {@code <outDir>/caption-fixture/} (ViT-GPT2 layout) and {@code
 * <outDir>/vqa-fixture/} (SmolVLM layout, see {@link VqaFixtures}) and {@code
 * <outDir>/florence2-fixture/} (see {@link Florence2Fixtures}) and {@code
 * <outDir>/diffusion-fixture/} (see {@link DiffusionFixture}); like {@link FixtureModels},
 * unchanged files are left alone and changed ones replaced atomically.
 */
public final class CaptionFixtureModels {
  public static final String CAPTION_FIXTURE = "caption-fixture";
  public static final String VQA_FIXTURE = "vqa-fixture";
  public static final String FLORENCE2_FIXTURE = "florence2-fixture";
  public static final String DIFFUSION_FIXTURE = "diffusion-fixture";

  private CaptionFixtureModels() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println(
          "usage: CaptionFixtureModels <outDir>   (writes <outDir>/" + CAPTION_FIXTURE + "/)");
      System.exit(2);
    }
    Path dir = writeCaptionFixture(Path.of(args[0]));
    System.out.println("caption fixture (ViT-GPT2 layout) ready in " + dir.toAbsolutePath());
    Path vqa = writeVqaFixture(Path.of(args[0]));
    System.out.println("VQA fixture (SmolVLM layout) ready in " + vqa.toAbsolutePath());
    Path florence = writeFlorence2Fixture(Path.of(args[0]));
    System.out.println("caption fixture (Florence-2 layout) ready in " + florence.toAbsolutePath());
    Path diffusion = writeDiffusionFixture(Path.of(args[0]));
    System.out.println("diffusion fixture (text to image) ready in " + diffusion.toAbsolutePath());
  }

  /**
   * Writes (or refreshes) {@code <outDir>/diffusion-fixture/} (Euler-discrete scheduler, float
   * timestep; see {@link DiffusionFixture}) and returns that directory.
   */
  public static Path writeDiffusionFixture(Path outDir) {
    return new DiffusionFixture(true, "EulerDiscreteScheduler").write(outDir, DIFFUSION_FIXTURE);
  }

  /** Writes (or refreshes) {@code <outDir>/florence2-fixture/} and returns that directory. */
  public static Path writeFlorence2Fixture(Path outDir) {
    Path dir = outDir.resolve(FLORENCE2_FIXTURE);
    FixtureModels.writeIfChanged(dir, new Florence2Fixtures().files());
    return dir;
  }

  /** Writes (or refreshes) {@code <outDir>/vqa-fixture/} and returns that directory. */
  public static Path writeVqaFixture(Path outDir) {
    Path dir = outDir.resolve(VQA_FIXTURE);
    FixtureModels.writeIfChanged(dir, new VqaFixtures().smolVlmFiles());
    return dir;
  }

  /** Writes (or refreshes) {@code <outDir>/caption-fixture/} and returns that directory. */
  public static Path writeCaptionFixture(Path outDir) {
    Path dir = outDir.resolve(CAPTION_FIXTURE);
    FixtureModels.writeIfChanged(dir, new CaptionFixtures().vitGpt2Files());
    return dir;
  }
}
