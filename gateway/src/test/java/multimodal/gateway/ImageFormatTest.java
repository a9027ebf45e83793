package multimodal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageFormatTest {

  @Test
  void recognisesRealPngAndJpegFiles() throws IOException {
    assertThat(ImageFormat.sniff(Files.readAllBytes(Path.of("../testdata/images/horse.png"))))
        .contains(ImageFormat.PNG);
    assertThat(ImageFormat.sniff(Files.readAllBytes(Path.of("../testdata/images/rocket.jpg"))))
        .contains(ImageFormat.JPEG);
  }

  @Test
  void recognisesGifWebpTiffAndBmpSignatures() {
    assertThat(ImageFormat.sniff(ascii("GIF89a\u0001\u0000"))).contains(ImageFormat.GIF);
    assertThat(ImageFormat.sniff(ascii("RIFF\u0010\u0000\u0000\u0000WEBPVP8 ")))
        .contains(ImageFormat.WEBP);
    assertThat(ImageFormat.sniff(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0}))
        .contains(ImageFormat.TIFF);
    assertThat(ImageFormat.sniff(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8}))
        .contains(ImageFormat.TIFF);
    assertThat(ImageFormat.sniff(new byte[] {'B', 'M', 70, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0}))
        .contains(ImageFormat.BMP);
  }

  @Test
  void rejectsTextAndTruncatedSignatures() {
    assertThat(ImageFormat.sniff(ascii("hello, not an image"))).isEmpty();
    assertThat(ImageFormat.sniff(ascii("BM is also how this sentence starts"))).isEmpty();
    assertThat(ImageFormat.sniff(ascii("RIFF\u0010\u0000\u0000\u0000WAVE"))).isEmpty();
    assertThat(ImageFormat.sniff(new byte[] {(byte) 0x89, 'P', 'N'})).isEmpty();
    assertThat(ImageFormat.sniff(new byte[0])).isEmpty();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
