package multimodal.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import multimodal.media.corpus.CorpusImages;

/** Small images written in memory for the decoder tests. */
final class TestImages {
  private TestImages() {}

  static byte[] solidPng(int width, int height, Color colour) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return png(image);
  }

  static byte[] png(BufferedImage image) {
    return CorpusImages.write(image, "png");
  }
}
