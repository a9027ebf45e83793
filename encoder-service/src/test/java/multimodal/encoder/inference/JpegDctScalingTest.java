package multimodal.encoder.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import multimodal.encoder.TestModels;
import multimodal.media.ImageDecoder;
import multimodal.media.ImageLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code encoder.images.jpeg-dct-scaling}: large JPEGs decode smaller, everything else alike. */
class JpegDctScalingTest {
  private static final Path IMAGES = Path.of("..", "testdata", "images");
  private static EmbeddingModel exact;
  private static EmbeddingModel scaled;

  @BeforeAll
  static void load() {
    exact = loader(false).load("clip", TestModels.clipFixture(), Optional.empty());
    scaled = loader(true).load("clip", TestModels.clipFixture(), Optional.empty());
  }

  @AfterAll
  static void close() throws Exception {
    exact.close();
    scaled.close();
  }

  private static ModelLoader loader(boolean dctScaling) {
    return new ModelLoader(
        OrtEnvironment.getEnvironment(),
        new OrtSettings(1, 1, "all", "cpu", 0),
        new ImageDecoder(new ImageLimits(16 << 20, 40_000_000)),
        dctScaling);
  }

  @Test
  void aJpegOverTwiceTheInputIsDecodedScaledAndEmbedsClose() throws Exception {
    // 1000 × 872: short side at least 2 × 224, so libjpeg-turbo decodes it at 1/2.
    byte[] photo = Files.readAllBytes(IMAGES.resolve("hubble_deep_field.jpg"));

    float[] full = exact.preprocess(photo, "photo");
    float[] half = scaled.preprocess(photo, "photo");

    assertThat(half).hasSameSizeAs(full).isNotEqualTo(full);
    assertThat(cosine(exact.embedPixels(List.of(full))[0], scaled.embedPixels(List.of(half))[0]))
        .isGreaterThan(0.99);
  }

  @Test
  void smallerJpegsAndOtherFormatsAreDecodedExactly() throws Exception {
    for (String file : List.of("rocket.jpg", "chelsea.png", "astronaut.png")) {
      byte[] image = Files.readAllBytes(IMAGES.resolve(file));
      assertThat(scaled.preprocess(image, file))
          .as(file)
          .containsExactly(exact.preprocess(image, file));
    }
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
