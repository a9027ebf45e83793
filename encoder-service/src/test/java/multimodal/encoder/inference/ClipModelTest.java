package multimodal.encoder.inference;

import static multimodal.encoder.Vectors.cosine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import multimodal.devkit.onnx.OnnxModelWriter;
import multimodal.encoder.TestImages;
import multimodal.encoder.TestModels;
import multimodal.media.ImageLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipModelTest {
  static final ModelLoader LOADER =
      new ModelLoader(
          OrtEnvironment.getEnvironment(),
          new OrtSettings(1, 1, "all", "cpu", 0),
          new ImageLimits(16 << 20, 40_000_000));
  private static ClipModel model;

  @BeforeAll
  static void load() {
    model = (ClipModel) LOADER.load("clip", TestModels.clipFixture(), Optional.empty());
  }

  @AfterAll
  static void close() throws Exception {
    model.close();
  }

  @Test
  void reportsNameVersionDimensionAndFixture() {
    assertThat(model.name()).isEqualTo("clip");
    assertThat(model.version()).isEqualTo("fixture-colour-shape-1");
    assertThat(model.dimension()).isEqualTo(512);
    assertThat(model.fixture()).isTrue();
  }

  @Test
  void textAndImageTowersAgreeOnColour() throws Exception {
    float[][] texts = model.embedTexts(List.of("a red car", "a blue car", "A GREEN field"));
    float[][] images =
        model.embedPixels(
            List.of(
                model.preprocess(TestImages.solidPng(300, 200, Color.RED), "red"),
                model.preprocess(TestImages.solidPng(64, 64, Color.GREEN), "green")));

    float[] redImage = images[0];
    assertThat(cosine(texts[0], redImage)).isGreaterThan(0.99);
    assertThat(cosine(texts[0], redImage)).isGreaterThan(cosine(texts[1], redImage));
    assertThat(cosine(texts[2], images[1])).isGreaterThan(0.99);
  }

  @Test
  void splitLayoutOutputsAreNormalisedInJava() throws Exception {
    float[] embedding = model.embedTexts(List.of("a photo of a cat"))[0];
    double norm = 0;
    for (float v : embedding) {
      norm += v * v;
    }
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
    assertThat(embedding).hasSize(512);
    assertThat(model.layout()).isEqualTo(ClipLayout.SPLIT);
  }

  @Test
  void refusesAGraphWhoseInputNamesDoNotMatch(@TempDir Path dir) throws IOException {
    copyFixture(dir);
    byte[] wrong =
        new OnnxModelWriter("wrong")
            .input("ids", OnnxModelWriter.INT64, "batch_size", "sequence_length")
            .output("text_embeds", OnnxModelWriter.INT64, "batch_size", "sequence_length")
            .node("Identity", List.of("ids"), List.of("text_embeds"))
            .toByteArray();
    Files.write(dir.resolve("onnx/text_model.onnx"), wrong);

    assertThatThrownBy(() -> LOADER.load("broken", dir, Optional.empty()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("onnx/text_model.onnx: expected input 'input_ids'")
        .hasMessageContaining("[ids]");
  }

  @Test
  void refusesADirectoryWithoutAnyModel(@TempDir Path dir) {
    assertThatThrownBy(() -> LOADER.load("empty", dir, Optional.empty()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("needs model.onnx");
  }

  @Test
  void refusesASplitDirectoryMissingTheVisionGraph(@TempDir Path dir) throws IOException {
    copyFixture(dir);
    Files.delete(dir.resolve("onnx/vision_model.onnx"));

    assertThatThrownBy(() -> LOADER.load("half", dir, Optional.empty()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("has no onnx/vision_model.onnx");
  }

  @Test
  void fallsBackToCpuWhenCudaIsAskedForButAbsent() throws Exception {
    ModelLoader cuda =
        new ModelLoader(
            OrtEnvironment.getEnvironment(),
            new OrtSettings(1, 1, "basic", "cuda", 0),
            new ImageLimits(1 << 20, 1_000_000));

    try (EmbeddingModel loaded = cuda.load("clip", TestModels.clipFixture(), Optional.empty())) {
      assertThat(loaded.embedTexts(List.of("a red car"))[0]).hasSize(512);
    }
    assertThat(cuda.cudaInUse()).isFalse(); // the CPU build of ONNX Runtime has no CUDA provider
  }

  @Test
  void refusesAnUnknownOptimisationLevelOrProvider() {
    assertThatThrownBy(() -> ModelLoader.optLevel("max"))
        .hasMessageContaining("unknown optimisation level 'max'");
    ModelLoader tpu =
        new ModelLoader(
            OrtEnvironment.getEnvironment(),
            new OrtSettings(1, 1, "all", "tpu", 0),
            new ImageLimits(1 << 20, 1_000_000));
    assertThatThrownBy(() -> tpu.load("clip", TestModels.clipFixture(), Optional.empty()))
        .hasMessageContaining("unknown execution provider 'tpu'");
  }

  static void copyFixture(Path target) throws IOException {
    copy(TestModels.clipFixture(), target);
  }

  static void copy(Path source, Path target) throws IOException {
    try (var files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path to = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.copy(file, to);
        }
      }
    }
  }
}
