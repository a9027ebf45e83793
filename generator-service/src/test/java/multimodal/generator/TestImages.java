package multimodal.generator;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Pictures drawn with Java2D for the tests. */
public final class TestImages {
  private TestImages() {}

  /** A filled square or circle, centred on white, 5/7 of the width (what the fixture reads). */
  public static BufferedImage shape(Color colour, String shape, int size) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, size, size);
    g.setColor(colour);
    int side = size * 5 / 7;
    int offset = (size - side) / 2;
    if (shape.equals("circle")) {
      g.fillOval(offset, offset, side, side);
    } else {
      g.fillRect(offset, offset, side, side);
    }
    g.dispose();
    return image;
  }

  /** Black text on white, in a large sans-serif font. */
  public static BufferedImage text(String text, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, height / 3));
    g.drawString(text, height / 6, height * 2 / 3);
    g.dispose();
    return image;
  }

  public static byte[] png(BufferedImage image) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code photo} area-averaged to {@code side} on its longer side, aspect kept (a thumbnail). */
  public static BufferedImage thumbnail(BufferedImage photo, int side) {
    double scale = (double) side / Math.max(photo.getWidth(), photo.getHeight());
    int width = Math.max(1, (int) Math.round(photo.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(photo.getHeight() * scale));
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(photo.getScaledInstance(width, height, Image.SCALE_AREA_AVERAGING), 0, 0, null);
    g.dispose();
    return out;
  }
}
