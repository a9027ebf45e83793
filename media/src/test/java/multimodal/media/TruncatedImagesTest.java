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
  private final ImageDecoder lenient =
      new ImageDecoder(ImageLimits.PLATFORM, TruncatedImages.ACCEPT);

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
              assertThat(e.reason())
                  .isEqualTo(
                      "image is truncated: the JPEG data ends before its end-of-image marker; the"
                          + " missing part would be filled");
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
    assertThat(decoded.truncation())
        .hasValueSatisfying(
            reason -> assertThat(reason).contains("ends before its end-of-image marker"));
  }

  @Test
  void aPngWithoutItsEndChunkIsTruncated() throws IOException {
    byte[] full = image("horse.png");
    byte[] cut = Arrays.copyOf(full, full.length - 12); // the IEND chunk

    assertThatThrownBy(() -> strict.decode(cut, "data.bytes"))
        .hasMessageContaining("the PNG has no IEND chunk");
    assertThat(lenient.read(cut, "data.bytes").truncation()).isPresent();
    assertThat(strict.read(full, "data.bytes").truncation()).isEmpty();
  }

  @Test
  void theDoorsRuleAgreesWithTheDecoderOnEveryCut() throws IOException {
    for (String name : new String[] {"rocket.jpg", "hubble_deep_field.jpg", "horse.png"}) {
      byte[] full = image(name);
      assertThat(TruncatedEnd.of(full)).as(name).isEmpty();
      for (double fraction : new double[] {0.3, 0.7, 0.99}) {
        byte[] cut = cut(full, fraction);
        assertThat(TruncatedEnd.of(cut)).as(name + " cut at " + fraction).isPresent();
        assertThatThrownBy(() -> strict.decode(cut, "x"))
            .as(name + " decoded, cut at " + fraction)
            .isInstanceOf(InvalidImageException.class);
        if (name.endsWith(".jpg")) {
          assertThat(lenient.read(cut, "x").truncation())
              .as(name + " accepted, cut at " + fraction)
              .isPresent();
        } // a PNG cut inside its data is not decodable at all, whatever the policy
      }
    }
  }

  @Test
  void bytesAfterTheEndMarkerAreNotTruncation() throws IOException {
    byte[] full = image("rocket.jpg");
    byte[] trailing = Arrays.copyOf(full, full.length + 16);

    assertThat(strict.read(trailing, "x").truncation()).isEmpty();
  }

  private static byte[] image(String name) throws IOException {
    return Files.readAllBytes(IMAGES.resolve(name));
  }

  private static byte[] cut(byte[] bytes, double fraction) {
    return Arrays.copyOf(bytes, (int) (bytes.length * fraction));
  }
}
