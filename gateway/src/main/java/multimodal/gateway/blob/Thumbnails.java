package multimodal.gateway.blob;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Small JPEG previews for the web UI, made with the JDK's ImageIO (JPEG, PNG, GIF, BMP, TIFF).
 * Formats it cannot decode (WebP) get no thumbnail; the caller serves the original instead.
 */
public final class Thumbnails {
  private Thumbnails() {}

  /** A JPEG whose longest side is at most {@code size}, or empty when the bytes cannot be decoded. */
  public static Optional<byte[]> jpeg(byte[] image, int size) {
    BufferedImage source;
    try {
      source = ImageIO.read(new ByteArrayInputStream(image));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    if (source == null) {
      return Optional.empty();
    }
    double scale = Math.min(1.0, (double) size / Math.max(source.getWidth(), source.getHeight()));
    int width = Math.max(1, (int) Math.round(source.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(source.getHeight() * scale));
    BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = target.createGraphics();
    try {
      graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      graphics.setColor(java.awt.Color.WHITE); // transparent pixels on white, JPEG has no alpha
      graphics.fillRect(0, 0, width, height);
      graphics.drawImage(source, 0, 0, width, height, null);
    } finally {
      graphics.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(target, "jpeg", out)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(out.toByteArray());
  }
}
