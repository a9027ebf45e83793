package multimodal.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import multimodal.media.ImageDecoder.TruncatedImages;
import org.junit.jupiter.api.Test;

/**
 * Images whose data ends early: refused by default, as Pillow refuses them; accepted on request,
 * with the truncation reported beside the pixels.
 */
class TruncatedImagesTest {
  private static final Path IMAGES = Path.of("..", "testdata", "images");

  private final ImageDecoder strict = new ImageDecoder(ImageLimits.PLATFORM);
  private final ImageDecoder lenient = new ImageDecoder(ImageLimits.PLATFORM, TruncatedImages.ACCEPT);

  @Test
  void aCompleteJpegIsNotTruncated() throws IOException {
    ImageDecoder.Decoded decoded = strict.read(image("rocket.jpg"), "data.bytes");

    assertThat(decoded.truncation()).isEmpty();
  }

  @Test
  void aTruncatedJpegIsRefusedByDefaultWithTheReason() throws IOException {
    byte[] cut = cut(image("rocket.jpg"), 0.6);

    assertThatThrownBy(() -> strict.decode(cut, "data.bytes"))
        .isInstanceOfSatisfying(
            InvalidImageException.class,
            e -> {
              assertThat(e.field()).isEqualTo("data.bytes");
              assertThat(e.reason()).startsWith("image is truncated: the JPEG data ends early (").contains("premature end");
            });
  }

  @Test
  void aJpegCutJustBeforeItsEndMarkerIsTruncatedToo() throws IOException {
    byte[] full = image("rocket.jpg");

    assertThatThrownBy(() -> strict.decode(Arrays.copyOf(full, full.length - 2), "images[0]"))
        .hasMessageStartingWith("images[0]: image is truncated");
  }

  @Test
  void acceptedTruncatedJpegIsDecodedAndReportsTheTruncation() throws IOException {
    byte[] full = image("rocket.jpg");
    RgbImage complete = strict.decode(full, "x");

    ImageDecoder.Decoded decoded = lenient.read(cut(full, 0.6), "data.bytes");

    assertThat(decoded.image().width()).isEqualTo(complete.width());
    assertThat(decoded.image().height()).isEqualTo(complete.height());
    assertThat(decoded.truncation()).hasValueSatisfying(reason -> assertThat(reason).contains("the JPEG data ends early"));
  }

  @Test
  void aPngWithoutItsEndChunkIsTruncated() throws IOException {
    byte[] full = image("horse.png");
    byte[] cut = Arrays.copyOf(full, full.length - 12); // the IEND chunk

    assertThatThrownBy(() -> strict.decode(cut, "data.bytes")).hasMessageContaining("the PNG has no IEND chunk");
    assertThat(lenient.read(cut, "data.bytes").truncation()).isPresent();
    assertThat(strict.read(full, "data.bytes").truncation()).isEmpty();
  }

  private static byte[] image(String name) throws IOException {
    return Files.readAllBytes(IMAGES.resolve(name));
  }

  private static byte[] cut(byte[] bytes, double fraction) {
    return Arrays.copyOf(bytes, (int) (bytes.length * fraction));
  }
}
