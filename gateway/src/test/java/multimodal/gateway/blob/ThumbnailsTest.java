package multimodal.gateway.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import multimodal.devkit.images.ExifJpegs;
import multimodal.media.ImageLimits;
import org.junit.jupiter.api.Test;

/** Thumbnails are decoded like the workers decode: upright by EXIF, within the pixel limit. */
class ThumbnailsTest {
  private static final ImageLimits LIMITS = new ImageLimits(20 << 20, 40_000_000);

  @Test
  void aJpegTaggedToTurnClockwiseGetsAnUprightThumbnail() throws IOException {
    // Stored 64 wide and 32 high, red on the left; orientation 6 shows it turned: red on top.
    byte[] stored = jpeg(halves(64, 32));

    BufferedImage thumbnail =
        read(Thumbnails.jpeg(ExifJpegs.withOrientation(stored, 6), 16, LIMITS).orElseThrow());

    assertThat(thumbnail.getWidth()).isEqualTo(8);
    assertThat(thumbnail.getHeight()).isEqualTo(16);
    assertThat(new Color(thumbnail.getRGB(4, 2)).getRed()).isGreaterThan(200);
    assertThat(new Color(thumbnail.getRGB(4, 13)).getBlue()).isGreaterThan(200);
  }

  @Test
  void aJpegWithoutExifKeepsItsStoredShape() throws IOException {
    BufferedImage thumbnail = read(Thumbnails.jpeg(jpeg(halves(64, 32)), 16, LIMITS).orElseThrow());

    assertThat(thumbnail.getWidth()).isEqualTo(16);
    assertThat(thumbnail.getHeight()).isEqualTo(8);
  }

  @Test
  void imagesOverThePixelLimitOrUndecodableGetNone() throws IOException {
    byte[] image = jpeg(halves(64, 32));

    assertThat(Thumbnails.jpeg(image, 16, new ImageLimits(20 << 20, 64 * 32 - 1))).isEmpty();
    assertThat(Thumbnails.jpeg("not an image".getBytes(StandardCharsets.US_ASCII), 16, LIMITS))
        .isEmpty();
  }

  private static BufferedImage halves(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, width / 2, height);
    g.setColor(Color.BLUE);
    g.fillRect(width / 2, 0, width - width / 2, height);
    g.dispose();
    return image;
  }

  private static byte[] jpeg(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, "jpeg", out)).isTrue();
    return out.toByteArray();
  }

  private static BufferedImage read(byte[] jpeg) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(jpeg));
  }
}
