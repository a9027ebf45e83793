package multimodal.generator.inference.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import multimodal.generator.InvalidInputException;
import multimodal.media.ImageDecoder;
import multimodal.media.ImageDecoder.TruncatedImages;
import multimodal.media.ImageLimits;
import multimodal.v1.Limits;
import org.junit.jupiter.api.Test;

/** generator.images.allow-truncated: the same rule and the same reason as the encoder's. */
class ImageLoaderTest {
  private static byte[] truncatedRocket() throws IOException {
    byte[] rocket = Files.readAllBytes(Path.of("../testdata/images/rocket.jpg"));
    return Arrays.copyOf(rocket, rocket.length / 2);
  }

  @Test
  void aTruncatedJpegIsRefusedByDefaultWithItsReason() throws IOException {
    ImageLoader loader = new ImageLoader(Limits.IMAGE_MAX_BYTES, Limits.IMAGE_MAX_PIXELS);
    byte[] cut = truncatedRocket();

    assertThatThrownBy(() -> loader.decode(cut, "images[0]"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "images[0]: image is truncated: the JPEG data ends before its end-of-image marker; the"
                + " missing part would be filled");
  }

  @Test
  void aTruncatedJpegIsDecodedWhenAllowed() throws IOException {
    ImageLoader loader =
        new ImageLoader(new ImageDecoder(ImageLimits.PLATFORM, TruncatedImages.ACCEPT));
    byte[] full = Files.readAllBytes(Path.of("../testdata/images/rocket.jpg"));

    BufferedImage decoded = loader.decode(truncatedRocket(), "images[0]");

    BufferedImage complete = loader.decode(full, "images[0]");
    assertThat(decoded.getWidth()).isEqualTo(complete.getWidth());
    assertThat(decoded.getHeight()).isEqualTo(complete.getHeight());
  }
}
