package multimodal.encoder.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import multimodal.encoder.InvalidInputException;
import multimodal.encoder.TestModels;
import multimodal.media.ImageDecoder;
import multimodal.media.ImageDecoder.TruncatedImages;
import multimodal.media.ImageLimits;
import org.junit.jupiter.api.Test;

/**
 * encoder.images.allow-truncated: a truncated JPEG is refused with the reason, or embedded when
 * allowed.
 */
class TruncatedImagePolicyTest {
  private static final OrtSettings CPU = new OrtSettings(1, 1, "basic", "cpu", 0);

  private static byte[] truncatedRocket() throws IOException {
    byte[] rocket = Files.readAllBytes(Path.of("../testdata/images/rocket.jpg"));
    return Arrays.copyOf(rocket, rocket.length / 2);
  }

  private static EmbeddingModel load(TruncatedImages policy) {
    ModelLoader loader =
        new ModelLoader(
            OrtEnvironment.getEnvironment(), CPU, new ImageDecoder(ImageLimits.PLATFORM, policy));
    return loader.load("clip", TestModels.clipFixture(), Optional.empty());
  }

  @Test
  void refusedByDefaultWithTheReasonAsAFieldViolation() throws Exception {
    byte[] cut = truncatedRocket();
    try (EmbeddingModel model = load(TruncatedImages.REFUSE)) {
      assertThatThrownBy(() -> model.preprocess(cut, "data.bytes"))
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e ->
                  assertThat(e.getMessage())
                      .isEqualTo(
                          "data.bytes: image is truncated: the JPEG data ends before its"
                              + " end-of-image marker; the missing part would be filled"));
    }
  }

  @Test
  void embeddedWhenAllowed() throws Exception {
    byte[] cut = truncatedRocket();
    try (EmbeddingModel model = load(TruncatedImages.ACCEPT)) {
      float[] pixels = model.preprocess(cut, "data.bytes");
      assertThat(model.embedPixels(java.util.List.of(pixels))[0]).hasSize(model.dimension());
    }
  }
}
