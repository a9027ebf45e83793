package multimodal.encoder.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import multimodal.devkit.hub.FetchModelsScript;
import multimodal.devkit.hub.HubMirror;
import multimodal.encoder.TestImages;
import multimodal.encoder.TestModels;
import multimodal.encoder.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-exports path end to end, offline: the generated CLIP (the real split layout) is served
 * by a hub mirror on 127.0.0.1 under the Hugging Face URL layout, {@code scripts/fetch-models.sh}
 * fetches it with a manifest of its real SHA-256s, and the encoder's own loader runs the result.
 */
class RealExportsMirrorTest {
  private static final String REPO = "Xenova/clip-vit-base-patch32";
  private static final String REVISION = "0123456789abcdef0123456789abcdef01234567";
  private static final String LOCAL_NAME = "clip-vit-base-patch32";

  private static HubMirror mirror;
  private static List<String> manifestLines;
  private static final FetchModelsScript FETCH = new FetchModelsScript(Path.of(".."));

  @BeforeAll
  static void publish() {
    mirror = HubMirror.start();
    manifestLines = mirror.publish(LOCAL_NAME, REPO, REVISION, TestModels.clipFixture());
  }

  @AfterAll
  static void stop() {
    mirror.close();
  }

  @Test
  void fetchesEveryFileVerifiesItAndTheEncoderEmbedsWithTheResult(@TempDir Path tmp)
      throws Exception {
    Path manifest = FetchModelsScript.writeManifest(tmp.resolve("models.lock"), manifestLines);

    FetchModelsScript.Outcome first = FETCH.run(mirror.baseUrl(), manifest, tmp.resolve("models"));

    assertThat(first.exitCode()).as(first.output()).isZero();
    Path fetched = tmp.resolve("models").resolve(LOCAL_NAME);
    assertThat(files(fetched)).containsExactlyInAnyOrderElementsOf(files(TestModels.clipFixture()));
    for (String file : files(fetched)) {
      assertThat(fetched.resolve(file))
          .hasSameBinaryContentAs(TestModels.clipFixture().resolve(file));
    }
    assertThat(mirror.requests())
        .contains("/" + REPO + "/resolve/" + REVISION + "/onnx/vision_model.onnx");

    FetchModelsScript.Outcome again = FETCH.run(mirror.baseUrl(), manifest, tmp.resolve("models"));
    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(again.output())
        .contains("0 downloaded, " + manifestLines.size() + " already present and verified");

    try (EmbeddingModel model = ClipModelTest.LOADER.load("clip", fetched, Optional.empty());
        EmbeddingModel original =
            ClipModelTest.LOADER.load("clip", TestModels.clipFixture(), Optional.empty())) {
      assertThat(model).isInstanceOf(ClipModel.class);
      assertThat(((ClipModel) model).layout()).isEqualTo(ClipLayout.SPLIT);
      float[] pixels =
          ((ClipModel) model).preprocess(TestImages.solidPng(120, 90, Color.RED), "red");
      float[] image = model.embedPixels(List.of(pixels))[0];
      float[][] texts = model.embedTexts(List.of("something red", "something blue"));
      assertThat(image).hasSize(512).containsExactly(original.embedPixels(List.of(pixels))[0]);
      assertThat(Vectors.cosine(image, texts[0]))
          .as("a red picture is nearer 'red'")
          .isGreaterThan(Vectors.cosine(image, texts[1]));
    }
  }

  @Test
  void aCorruptedDownloadIsRefusedAndNothingIsLeftBehind(@TempDir Path tmp) throws IOException {
    Path manifest = FetchModelsScript.writeManifest(tmp.resolve("models.lock"), manifestLines);
    byte[] original =
        Files.readAllBytes(TestModels.clipFixture().resolve("onnx/vision_model.onnx"));
    byte[] corrupted = original.clone();
    corrupted[corrupted.length / 2] ^= 0x5a; // same size, other bytes: only the hash can tell
    mirror.replace(REPO, REVISION, "onnx/vision_model.onnx", corrupted);
    try {
      FetchModelsScript.Outcome outcome =
          FETCH.run(mirror.baseUrl(), manifest, tmp.resolve("models"));

      assertThat(outcome.exitCode()).isNotZero();
      assertThat(outcome.output())
          .contains(
              "refusing "
                  + mirror.baseUrl()
                  + "/"
                  + REPO
                  + "/resolve/"
                  + REVISION
                  + "/onnx/vision_model.onnx")
          .contains("SHA-256 " + HubMirror.sha256(corrupted))
          .contains("manifest says " + HubMirror.sha256(original));
      Path onnx = tmp.resolve("models").resolve(LOCAL_NAME).resolve("onnx");
      assertThat(onnx.resolve("vision_model.onnx")).doesNotExist();
      assertThat(onnx.resolve("vision_model.onnx.part")).doesNotExist();
    } finally {
      mirror.replace(REPO, REVISION, "onnx/vision_model.onnx", original);
    }
  }

  @Test
  void anUnpinnedFileIsRefusedBeforeAnyDownloadUnlessAllowed(@TempDir Path tmp) {
    List<String> unpinned =
        manifestLines.stream()
            .map(
                line ->
                    line.contains(" config.json ")
                        ? line.replaceAll(" [0-9a-f]{64} ", " TODO-pin ")
                        : line)
            .toList();
    Path manifest = FetchModelsScript.writeManifest(tmp.resolve("models.lock"), unpinned);
    int before = mirror.requests().size();

    FetchModelsScript.Outcome outcome =
        FETCH.run(mirror.baseUrl(), manifest, tmp.resolve("models"));

    assertThat(outcome.exitCode()).isNotZero();
    assertThat(outcome.output())
        .contains(REPO + "@0123456789ab:config.json is not pinned", "--allow-unpinned");
    assertThat(mirror.requests()).hasSize(before);
    assertThat(tmp.resolve("models")).doesNotExist();
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .toList();
    }
  }
}
