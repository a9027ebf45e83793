package multimodal.generator.inference.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.GenerationStoppedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The diffusion pipeline on the devkit's fixture export (tiny graphs with the real tensor interface
 * whose pictures follow colour and shape words; see {@code DiffusionFixture}): pictures, seeds,
 * schedulers, guidance, candidates, cancellation and bad exports.
 */
class DiffusionPipelineTest {
  private static final int SIZE = 64; // 8×8 latents: the square covers cells 2..5 of each axis

  private static OrtEnvironment env;
  private static OrtSession.SessionOptions options;
  private static DiffusionPipeline euler;
  private static DiffusionPipeline ddim;

  @TempDir Path temp;

  @BeforeAll
  static void load() throws Exception {
    env = OrtEnvironment.getEnvironment();
    options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    euler = DiffusionPipeline.load(DiffusionFixtures.euler(), env, options, null);
    ddim = DiffusionPipeline.load(DiffusionFixtures.ddim(), env, options, null);
  }

  @AfterAll
  static void close() throws Exception {
    euler.close();
    ddim.close();
    options.close();
  }

  private static DiffusionRequest request(String prompt) {
    return DiffusionRequest.of(prompt).withSize(SIZE, SIZE).withSteps(20).withSeed(42);
  }

  private static List<GeneratedImage> generate(DiffusionPipeline pipeline, DiffusionRequest request)
      throws Exception {
    try (GenerationControl control = GenerationControl.unlimited()) {
      return pipeline.generate(request, control, DiffusionProgress.NONE);
    }
  }

  private static BufferedImage image(GeneratedImage generated) {
    try {
      return ImageIO.read(new ByteArrayInputStream(generated.png()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Mean R, G, B over the pixel box [from, to) of both axes. */
  private static double[] mean(BufferedImage image, int from, int to) {
    double[] sum = new double[3];
    for (int y = from; y < to; y++) {
      for (int x = from; x < to; x++) {
        int rgb = image.getRGB(x, y);
        sum[0] += rgb >> 16 & 0xff;
        sum[1] += rgb >> 8 & 0xff;
        sum[2] += rgb & 0xff;
      }
    }
    int n = (to - from) * (to - from);
    return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
  }

  private static void assertRed(double[] rgb) {
    assertThat(rgb[0]).as("red %s", java.util.Arrays.toString(rgb)).isGreaterThan(220);
    assertThat(rgb[1]).as("green of red").isLessThan(35);
    assertThat(rgb[2]).as("blue of red").isLessThan(35);
  }

  private static void assertBlue(double[] rgb) {
    assertThat(rgb[2]).as("blue %s", java.util.Arrays.toString(rgb)).isGreaterThan(220);
    assertThat(rgb[0]).as("red of blue").isLessThan(35);
    assertThat(rgb[1]).as("green of blue").isLessThan(35);
  }

  /**
   * The fixture's background is a light grey (about level 207 after its UNet's deliberate error),
   * left noisy by the seed.
   */
  private static void assertBackground(double[] rgb) {
    for (double channel : rgb) {
      assertThat(channel)
          .as("background %s", java.util.Arrays.toString(rgb))
          .isBetween(150.0, 235.0);
    }
  }

  @Test
  void aRedSquareIsRedInTheCentreAndFillsItsCorners() throws Exception {
    GeneratedImage generated = generate(euler, request("a red square")).get(0);
    BufferedImage image = image(generated);
    assertThat(image.getWidth()).isEqualTo(SIZE);
    assertThat(image.getHeight()).isEqualTo(SIZE);
    assertRed(mean(image, 24, 40)); // centre
    assertRed(mean(image, 16, 24)); // the square's corner cell
    assertBackground(mean(image, 0, 8)); // the picture's corner
    assertThat(generated.seed()).isEqualTo(42);
  }

  @Test
  void aBlueCircleIsBlueInTheCentreButNotInTheSquaresCorners() throws Exception {
    BufferedImage image = image(generate(euler, request("a blue circle")).get(0));
    assertBlue(mean(image, 24, 40));
    assertBackground(mean(image, 16, 24)); // outside the circle, inside its bounding box
    assertBackground(mean(image, 0, 8));
  }

  @Test
  void ddimWithAnInt64TimestepDrawsTheSamePictures() throws Exception {
    assertThat(ddim.schedulerName()).isEqualTo("DDIMScheduler");
    BufferedImage red = image(generate(ddim, request("a red square")).get(0));
    assertRed(mean(red, 24, 40));
    assertRed(mean(red, 16, 24));
    BufferedImage blue = image(generate(ddim, request("A BLUE circle.")).get(0));
    assertBlue(mean(blue, 24, 40));
    assertBackground(mean(blue, 16, 24));
  }

  @Test
  void lcmAndEulerAncestralRunTheirFewStepsWithTheExportsSettings() throws Exception {
    for (String scheduler : List.of(LcmScheduler.NAME, EulerDiscreteScheduler.ANCESTRAL_NAME)) {
      try (DiffusionPipeline pipeline =
          DiffusionPipeline.load(DiffusionFixtures.euler(), env, options, scheduler)) {
        assertThat(pipeline.schedulerName()).isEqualTo(scheduler);
        BufferedImage image =
            image(generate(pipeline, request("a red square").withSteps(4)).get(0));
        assertRed(mean(image, 24, 40));
        assertBackground(mean(image, 0, 8));
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws Exception {
    DiffusionRequest request = request("a red square");
    byte[] first = generate(euler, request).get(0).png();
    byte[] again = generate(euler, request).get(0).png();
    byte[] other = generate(euler, request.withSeed(43)).get(0).png();
    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    byte[] ddimFirst = generate(ddim, request).get(0).png();
    assertThat(generate(ddim, request).get(0).png()).isEqualTo(ddimFirst);
  }

  @Test
  void guidanceInOneBatchEqualsTwoRuns() throws Exception {
    DiffusionRequest request = request("a blue square").withCandidates(2).withNegativePrompt("red");
    List<GeneratedImage> batched = generate(euler, request.withBatchGuidance(true));
    List<GeneratedImage> separate = generate(euler, request.withBatchGuidance(false));
    for (int i = 0; i < 2; i++) {
      assertThat(maxLevelDifference(image(batched.get(i)), image(separate.get(i))))
          .isLessThanOrEqualTo(1);
    }
  }

  @Test
  void candidatesEachFollowTheirOwnSeed() throws Exception {
    List<GeneratedImage> three = generate(euler, request("a red circle").withCandidates(3));
    assertThat(three).extracting(GeneratedImage::seed).containsExactly(42L, 43L, 44L);
    assertThat(three.get(1).png()).isNotEqualTo(three.get(0).png());
    for (GeneratedImage candidate : three) {
      assertRed(mean(image(candidate), 24, 40));
      GeneratedImage alone =
          generate(euler, request("a red circle").withSeed(candidate.seed())).get(0);
      assertThat(maxLevelDifference(image(candidate), image(alone))).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void noGuidanceBelowScaleOneStillFollowsThePrompt() throws Exception {
    BufferedImage image = image(generate(euler, request("a blue square").withGuidance(1f)).get(0));
    double[] centre = mean(image, 24, 40);
    assertThat(centre[2]).isGreaterThan(centre[0] + 60);
  }

  @Test
  void progressIsToldEveryStepAndCancellingStopsBeforeTheNext() throws Exception {
    List<Integer> seen = new ArrayList<>();
    AtomicReference<GenerationControl> held = new AtomicReference<>();
    try (GenerationControl control = GenerationControl.unlimited()) {
      held.set(control);
      DiffusionProgress cancelAtTwo =
          (step, steps) -> {
            seen.add(step);
            assertThat(steps).isEqualTo(20);
            if (step == 2) {
              held.get().cancel();
            }
          };
      assertThatThrownBy(() -> euler.generate(request("a red square"), control, cancelAtTwo))
          .isInstanceOf(GenerationStoppedException.class)
          .extracting(e -> ((GenerationStoppedException) e).reason())
          .isEqualTo(GenerationStoppedException.Reason.CANCELLED);
      assertThat(seen).containsExactly(1, 2);
      assertThat(control.steps()).isEqualTo(2);
    }
    List<Integer> all = new ArrayList<>();
    try (GenerationControl control = GenerationControl.unlimited()) {
      euler.generate(request("a red square").withSteps(5), control, (step, steps) -> all.add(step));
    }
    assertThat(all).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void anExpiredDeadlineStopsBeforeTheFirstStep() throws Exception {
    try (GenerationControl control = GenerationControl.withTimeout(Duration.ZERO)) {
      assertThatThrownBy(
              () -> euler.generate(request("a red square"), control, DiffusionProgress.NONE))
          .isInstanceOf(GenerationStoppedException.class)
          .extracting(e -> ((GenerationStoppedException) e).reason())
          .isEqualTo(GenerationStoppedException.Reason.DEADLINE);
      assertThat(control.steps()).isZero();
    }
  }

  @Test
  void promptsArePaddedToTheContextWithTheEndTokenAndCut() throws Exception {
    try (PromptEncoder encoder =
        PromptEncoder.load(DiffusionExport.open(DiffusionFixtures.euler()), env, options)) {
      long[] ids = encoder.ids("a red square");
      assertThat(ids).hasSize(77);
      assertThat(java.util.Arrays.copyOf(ids, 6))
          .containsExactly(49406, 320, 736, 3999, 49407, 49407);
      assertThat(ids[76]).isEqualTo(49407);
      long[] cut = encoder.ids("red ".repeat(100));
      assertThat(cut).hasSize(77);
      assertThat(cut[0]).isEqualTo(49406);
      assertThat(cut[75]).isEqualTo(736);
      assertThat(cut[76]).isEqualTo(49407);
    }
  }

  @Test
  void anUnknownSchedulerClassIsRefusedByNameAndCanBeOverridden() throws Exception {
    Path export = copy(DiffusionFixtures.euler());
    Path config = export.resolve("scheduler/scheduler_config.json");
    Files.writeString(
        config, Files.readString(config).replace("EulerDiscreteScheduler", "PNDMScheduler"));
    assertThatThrownBy(() -> DiffusionPipeline.load(export, env, options, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scheduler_config.json")
        .hasMessageContaining("'PNDMScheduler' is not supported")
        .hasMessageContaining("DDIMScheduler");
    try (DiffusionPipeline swapped =
        DiffusionPipeline.load(export, env, options, "DDIMScheduler")) {
      assertRed(mean(image(generate(swapped, request("a red square")).get(0)), 24, 40));
    }
  }

  @Test
  void unsupportedSchedulerSettingsAreRefusedByName() throws Exception {
    Path export = copy(DiffusionFixtures.euler());
    Path config = export.resolve("scheduler/scheduler_config.json");
    String original = Files.readString(config);
    Files.writeString(config, original.replace("{", "{\"use_karras_sigmas\": true,"));
    assertThatThrownBy(() -> DiffusionPipeline.load(export, env, options, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use_karras_sigmas=true is not supported");
    Files.writeString(config, original.replace("\"epsilon\"", "\"flow\""));
    assertThatThrownBy(() -> DiffusionPipeline.load(export, env, options, null))
        .hasMessageContaining("prediction_type 'flow' is not supported");
    Files.writeString(config, original.replace("\"leading\"", "\"karras\""));
    assertThatThrownBy(() -> DiffusionPipeline.load(export, env, options, null))
        .hasMessageContaining("timestep_spacing 'karras' is not supported");
  }

  @Test
  void aMissingFileIsNamed() throws Exception {
    Path export = copy(DiffusionFixtures.euler());
    Files.delete(export.resolve("unet/model.onnx"));
    assertThatThrownBy(() -> DiffusionPipeline.load(export, env, options, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing diffusion model file")
        .hasMessageContaining("unet");
    assertThatThrownBy(() -> DiffusionPipeline.load(temp.resolve("nowhere"), env, options, null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void badRequestsAreRefusedByField() {
    assertThatThrownBy(() -> DiffusionRequest.of("x").withSize(60, 64))
        .hasMessageContaining("multiples of 8");
    assertThatThrownBy(() -> DiffusionRequest.of("x").withCandidates(0))
        .hasMessageContaining("candidates");
    assertThatThrownBy(() -> generate(euler, request("x").withSteps(1001)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("steps must be 1..1000");
  }

  private Path copy(Path from) throws IOException {
    Path to = temp.resolve("export");
    try (var files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    return to;
  }

  private static int maxLevelDifference(BufferedImage a, BufferedImage b) {
    int max = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          max = Math.max(max, Math.abs((p >> shift & 0xff) - (q >> shift & 0xff)));
        }
      }
    }
    return max;
  }
}
