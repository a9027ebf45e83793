package multimodal.encoder.inference;

import static multimodal.encoder.Vectors.cosine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import multimodal.devkit.onnx.ClipLayoutFixtures;
import multimodal.devkit.onnx.OnnxModelWriter;
import multimodal.encoder.TestImages;
import multimodal.encoder.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three CLIP export layouts (split, combined model.onnx, Immich) load from their directories,
 * go through the same production code, and give the same normalised vectors: the devkit writes the
 * colour-and-shape fixture in each layout with the real tensor interfaces.
 */
class ClipLayoutsTest {
  @RegisterExtension static final FixtureLayouts LAYOUTS = new FixtureLayouts();

  @Test
  void recognisesEachLayoutAndReadsItsVersion() {
    assertThat(LAYOUTS.get("split").layout()).isEqualTo(ClipLayout.SPLIT);
    assertThat(LAYOUTS.get("combined").layout()).isEqualTo(ClipLayout.COMBINED);
    assertThat(LAYOUTS.get("immich").layout()).isEqualTo(ClipLayout.IMMICH);
    assertThat(LAYOUTS.get("combined").version()).isEqualTo("fixture-colour-shape-1-combined");
    assertThat(LAYOUTS.get("immich").version()).isEqualTo("fixture-colour-shape-1-immich");
    List.of("split", "combined", "immich")
        .forEach(l -> assertThat(LAYOUTS.get(l).dimension()).isEqualTo(512));
  }

  @ParameterizedTest
  @ValueSource(strings = {"combined", "immich"})
  void givesTheSameNormalisedVectorsAsTheSplitLayout(String layout) throws Exception {
    ClipModel split = LAYOUTS.get("split");
    ClipModel other = LAYOUTS.get(layout);
    // Three texts: the Immich graph takes one at a time, so this exercises its loop.
    List<String> texts = List.of("a red circle", "a blue square", "something green and brown");
    byte[] png = TestImages.solidPng(320, 200, new Color(200, 40, 90));

    float[][] expectedTexts = split.embedTexts(texts);
    float[][] actualTexts = other.embedTexts(texts);
    float[][] expectedImages =
        split.embedPixels(List.of(split.preprocess(png, "a"), split.preprocess(png, "b")));
    float[][] actualImages =
        other.embedPixels(List.of(other.preprocess(png, "a"), other.preprocess(png, "b")));

    assertThat(actualTexts).hasNumberOfRows(3);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(cosine(actualTexts[i], expectedTexts[i])).isCloseTo(1.0, within(1e-5));
      assertThat(norm(actualTexts[i])).isCloseTo(1.0, within(1e-5));
    }
    assertThat(actualImages).hasNumberOfRows(2);
    assertThat(cosine(actualImages[1], expectedImages[1])).isCloseTo(1.0, within(1e-5));
  }

  @ParameterizedTest
  @ValueSource(strings = {"split", "combined", "immich"})
  void zeroShotPicksTheColourOfTheImage(String layout) throws Exception {
    ClipModel model = LAYOUTS.get(layout);
    List<String> labels =
        List.of("a red circle", "a green circle", "a blue circle", "a yellow circle");
    float[][] text = model.embedTexts(labels);
    float[] image =
        model
            .embedPixels(List.of(model.preprocess(TestImages.solidPng(100, 80, Color.BLUE), "x")))[
            0];

    int best = 0;
    for (int i = 1; i < labels.size(); i++) {
      if (cosine(text[i], image) > cosine(text[best], image)) {
        best = i;
      }
    }
    assertThat(labels.get(best)).isEqualTo("a blue circle");
  }

  @Test
  void refusesAnImmichTextGraphWithFloatIdsNamingTheInput(@TempDir Path dir) throws IOException {
    ClipModelTest.copy(TestModels.immichFixture(), dir);
    byte[] wrong =
        new OnnxModelWriter("wrong")
            .input("text", OnnxModelWriter.FLOAT, 1, 77)
            .output("embedding", OnnxModelWriter.FLOAT, 1, 77)
            .node("Identity", List.of("text"), List.of("embedding"))
            .toByteArray();
    Files.write(dir.resolve("textual/model.onnx"), wrong);

    assertThatThrownBy(() -> ClipModelTest.LOADER.load("broken", dir, Optional.empty()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("IMMICH layout")
        .hasMessageContaining("textual/model.onnx: input 'text' is FLOAT, expected int64 or int32");
  }

  @Test
  void refusesAnImageGraphWhoseSizeDiffersFromThePreprocessing(@TempDir Path dir)
      throws IOException {
    ClipModelTest.copy(TestModels.immichFixture(), dir);
    byte[] wrong =
        new OnnxModelWriter("wrong")
            .input("image", OnnxModelWriter.FLOAT, 1, 3, 336, 336)
            .output("embedding", OnnxModelWriter.FLOAT, 1, 3, 1, 1)
            .node("GlobalAveragePool", List.of("image"), List.of("embedding"))
            .toByteArray();
    Files.write(dir.resolve("visual/model.onnx"), wrong);

    assertThatThrownBy(() -> ClipModelTest.LOADER.load("broken", dir, Optional.empty()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("visual/model.onnx");
  }

  @Test
  void writesTheFixturesUnderTheirNames() {
    assertThat(TestModels.combinedFixture().getFileName().toString())
        .isEqualTo(ClipLayoutFixtures.COMBINED);
    assertThat(Files.isRegularFile(TestModels.combinedFixture().resolve("onnx/model.onnx")))
        .isTrue();
    assertThat(
            Files.isRegularFile(TestModels.immichFixture().resolve("visual/preprocess_cfg.json")))
        .isTrue();
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
