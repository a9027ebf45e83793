package multimodal.generator.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import multimodal.generator.TestImages;
import org.junit.jupiter.api.Test;

class JpegProfilesTest {
  private static final Path IMAGES = Path.of("../testdata/images");

  @Test
  void dropsTheIccProfileSegmentAndKeepsADecodableJpeg() throws Exception {
    byte[] rocket = Files.readAllBytes(IMAGES.resolve("rocket.jpg")); // JFIF + a 574-byte ICC profile
    byte[] plain = JpegProfiles.strip(rocket);
    assertThat(plain.length).isEqualTo(rocket.length - 578);
    assertThat(new String(plain, StandardCharsets.ISO_8859_1)).doesNotContain("ICC_PROFILE");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(plain));
    assertThat(image.getWidth()).isEqualTo(640);
    assertThat(image.getHeight()).isEqualTo(427);
  }

  @Test
  void leavesOtherInputAsItIs() throws Exception {
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    ImageIO.write(TestImages.shape(Color.RED, "square", 64), "jpg", written);
    byte[] noProfile = written.toByteArray(); // the JDK's writer embeds none
    assertThat(JpegProfiles.strip(noProfile)).isSameAs(noProfile);
    byte[] png = Files.readAllBytes(IMAGES.resolve("horse.png"));
    assertThat(JpegProfiles.strip(png)).isSameAs(png);
    byte[] truncated = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE2, 0x7F, 0x00};
    assertThat(JpegProfiles.strip(truncated)).isSameAs(truncated);
  }
}
