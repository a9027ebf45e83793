package multimodal.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import multimodal.media.corpus.CorpusImages;
import org.junit.jupiter.api.Test;

/**
 * The decoder ignores a JPEG's embedded ICC profile, as Pillow, TensorFlow and TF.js do (the vision
 * models were trained on, and checked against, those colours); {@link JpegProfiles} strips the
 * profile to give the reference.
 */
class JpegProfilesTest {
  private final ImageDecoder decoder = new ImageDecoder(new ImageLimits(16 << 20, 40_000_000));

  @Test
  void decodesAJpegWithAnIccProfileAsIfItHadNone() throws Exception {
    byte[] rocket =
        Files.readAllBytes(IMAGES.resolve("rocket.jpg")); // JFIF + a 574-byte ICC profile

    RgbImage decoded = decoder.decode(rocket, "rocket");

    assertThat(decoded.rgb()).isEqualTo(decoder.decode(JpegProfiles.strip(rocket), "plain").rgb());
    // The JDK's own conversion applies the profile: about 4 levels darker on average.
    RgbImage throughProfile = ImageDecoder.toRgb(ImageIO.read(new ByteArrayInputStream(rocket)));
    assertThat(meanDifference(decoded, throughProfile)).isGreaterThan(1.0);
  }

  private static double meanDifference(RgbImage a, RgbImage b) {
    long sum = 0;
    for (int i = 0; i < a.rgb().length; i++) {
      sum += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff));
    }
    return (double) sum / a.rgb().length;
  }

  private static final Path IMAGES = Path.of("../testdata/images");

  @Test
  void dropsTheIccProfileSegmentAndKeepsADecodableJpeg() throws Exception {
    byte[] rocket =
        Files.readAllBytes(IMAGES.resolve("rocket.jpg")); // JFIF + a 574-byte ICC profile
    byte[] plain = JpegProfiles.strip(rocket);
    assertThat(plain.length).isEqualTo(rocket.length - 578);
    assertThat(new String(plain, StandardCharsets.ISO_8859_1)).doesNotContain("ICC_PROFILE");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(plain));
    assertThat(image.getWidth()).isEqualTo(640);
    assertThat(image.getHeight()).isEqualTo(427);
  }

  @Test
  void leavesOtherInputAsItIs() throws Exception {
    byte[] noProfile =
        CorpusImages.write(
            ImageIO.read(new ByteArrayInputStream(TestImages.solidPng(64, 64, Color.RED))),
            "jpg"); // the JDK's writer embeds none
    assertThat(JpegProfiles.strip(noProfile)).isSameAs(noProfile);
    byte[] png = Files.readAllBytes(IMAGES.resolve("horse.png"));
    assertThat(JpegProfiles.strip(png)).isSameAs(png);
    byte[] truncated = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE2, 0x7F, 0x00};
    assertThat(JpegProfiles.strip(truncated)).isSameAs(truncated);
  }
}
