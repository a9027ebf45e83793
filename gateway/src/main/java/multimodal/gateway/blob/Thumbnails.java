package multimodal.gateway.blob;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;
import javax.imageio.ImageIO;
import multimodal.media.ImageDecoder;
import multimodal.media.ImageLimits;
import multimodal.media.InvalidImageException;

/**
 * Small JPEG previews for the web UI, decoded by the same decoder as the workers: EXIF orientation
 * applied (so the detector's boxes, which are relative to the upright image, line up with the
 * preview), WebP and CMYK read, alpha dropped keeping the stored colours, and the byte and pixel
 * limits checked before decoding. Images it refuses get no thumbnail; the caller serves the
 * original instead.
 */
public final class Thumbnails {
  private Thumbnails() {}

  /** A JPEG whose longest side is at most {@code size}, or empty when the bytes are refused. */
  public static Optional<byte[]> jpeg(byte[] image, int size, ImageLimits limits) {
    try {
      return Optional.of(render(image, size, limits));
    } catch (InvalidImageException | IOException e) {
      return Optional.empty();
    }
  }

  /**
   * As {@link #jpeg}, saying why an image gets no thumbnail.
   *
   * @throws InvalidImageException when the shared decoder refuses the bytes (its reason)
   * @throws IOException when the JPEG cannot be written
   */
  public static byte[] render(byte[] image, int size, ImageLimits limits) throws IOException {
    BufferedImage source = new ImageDecoder(limits).decode(image, "thumbnail").toBufferedImage();
    double scale = Math.min(1.0, (double) size / Math.max(source.getWidth(), source.getHeight()));
    int width = Math.max(1, (int) Math.round(source.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(source.getHeight() * scale));
    BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = target.createGraphics();
    try {
      graphics.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      graphics.drawImage(source, 0, 0, width, height, null);
    } finally {
      graphics.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(target, "jpeg", out)) {
      throw new IOException("no JPEG writer");
    }
    return out.toByteArray();
  }
}
