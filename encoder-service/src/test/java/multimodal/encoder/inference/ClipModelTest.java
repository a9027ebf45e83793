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
import multimodal.encoder.Embedding;
import multimodal.encoder.InvalidInputException;
import multimodal.encoder.TestImages;
import multimodal.encoder.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipModelTest {
  private static final ClipModelLoader LOADER =
      new ClipModelLoader(
          OrtEnvironment.getEnvironment(), new OrtSettings(1, 1), new ImageLimits(16 << 20, 40_000_000));
  private static ClipModel model;

  @BeforeAll
  static void load() {
    model = LOADER.load("clip", TestModels.clipFixture(), Optional.empty());
  }

  @AfterAll
  static void close() throws Exception {
    model.close();
  }

  @Test
  void reportsNameVersionDimensionAndFixture() {
    assertThat(model.name()).isEqualTo("clip");
    assertThat(model.version()).isEqualTo("fixture-colour-1");
    assertThat(model.dimension()).isEqualTo(512);
    assertThat(model.fixture()).isTrue();
  }

  @Test
  void textAndImageTowersAgreeOnColour() throws Exception {
    List<Embedding> texts = model.encodeTexts(List.of("a red car", "a blue car", "A GREEN field"));
    List<Embedding> images =
        model.encodeImages(
            List.of(TestImages.solidPng(300, 200, Color.RED), TestImages.solidPng(64, 64, Color.GREEN)));

    float[] redImage = images.get(0).values();
    assertThat(cosine(texts.get(0).values(), redImage)).isGreaterThan(0.99);
    assertThat(cosine(texts.get(0).values(), redImage))
        .isGreaterThan(cosine(texts.get(1).values(), redImage));
    assertThat(cosine(texts.get(2).values(), images.get(1).values())).isGreaterThan(0.99);
  }

  @Test
  void embeddingsAreNormalisedAndCarryTheModel() throws Exception {
    Embedding embedding = model.encodeTexts(List.of("a photo of a cat")).get(0);
    double norm = 0;
    for (float v : embedding.values()) {
      norm += v * v;
    }
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
    assertThat(embedding.modelName()).isEqualTo("clip");
    assertThat(embedding.modelVersion()).isEqualTo("fixture-colour-1");
    assertThat(embedding.dimension()).isEqualTo(512);
  }

  @Test
  void rejectsAnEmptyTextNamingIt() {
    assertThatThrownBy(() -> model.encodeTexts(List.of("a cat", " ")))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("texts[1]");
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
  void refusesADirectoryWithoutTheSplitLayout(@TempDir Path dir) {
    assertThatThrownBy(() -> LOADER.load("empty", dir, Optional.empty()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("has no onnx/text_model.onnx");
  }

  private static void copyFixture(Path target) throws IOException {
    Path source = TestModels.clipFixture();
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
