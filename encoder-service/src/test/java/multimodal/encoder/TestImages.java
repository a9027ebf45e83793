package multimodal.encoder;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import multimodal.devkit.images.ShapeImages;

/** Small generated images, encoded as PNG. */
public final class TestImages {
  private TestImages() {}

  /** A solid RGB square. */
  public static byte[] solidPng(int width, int height, Color colour) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return png(image);
  }

  public static byte[] png(BufferedImage image) {
    return ShapeImages.png(image);
  }
}
