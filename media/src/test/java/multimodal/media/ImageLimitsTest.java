package multimodal.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import org.junit.jupiter.api.Test;

/**
 * The refusals every service gives for unusable image bytes, checked before the pixels are decoded.
 */
class ImageLimitsTest {
  private final ImageDecoder decoder = new ImageDecoder(new ImageLimits(16 << 20, 40_000_000));

  @Test
  void rejectsBytesThatAreNotAnImage() {
    assertThatThrownBy(() -> decoder.decode("not an image".getBytes(), "images[3]"))
        .isInstanceOf(InvalidImageException.class)
        .hasMessageStartingWith("images[3]: not a decodable image");
  }

  @Test
  void rejectsImagesOverThePixelLimitBeforeDecoding() {
    ImageDecoder strict = new ImageDecoder(new ImageLimits(1 << 20, 100));
    byte[] png = TestImages.solidPng(20, 20, Color.RED);

    assertThatThrownBy(() -> strict.decode(png, "data.bytes"))
        .isInstanceOf(InvalidImageException.class)
        .hasMessageContaining("20x20 = 400 pixels, over the limit of 100");
  }

  @Test
  void rejectsImagesOverTheByteLimit() {
    ImageDecoder strict = new ImageDecoder(new ImageLimits(10, 1000));

    assertThatThrownBy(() -> strict.decode(TestImages.solidPng(4, 4, Color.RED), "x"))
        .isInstanceOf(InvalidImageException.class)
        .hasMessageContaining("over the limit of 10");
  }

  @Test
  void refusalsNameTheFieldAndTheReasonApart() {
    assertThatThrownBy(() -> decoder.decode(new byte[0], "images[1]"))
        .isInstanceOfSatisfying(
            InvalidImageException.class,
            e -> {
              assertThat(e.field()).isEqualTo("images[1]");
              assertThat(e.reason()).isEqualTo("image is empty");
            });
  }
}
