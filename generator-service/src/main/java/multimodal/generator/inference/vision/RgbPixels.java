package multimodal.generator.inference.vision;

import java.awt.image.BufferedImage;

/**
 * The pixels of a decoded image as packed {@code 0xRRGGBB} ints, row by row: read once and shared
 * by the detector's and the safety model's resizes.
 */
public record RgbPixels(int width, int height, int[] rgb) {

  public static RgbPixels of(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    return new RgbPixels(width, height, image.getRGB(0, 0, width, height, null, 0, width));
  }

  /** Channel {@code c} (0 = red, 1 = green, 2 = blue) of pixel ({@code x}, {@code y}), 0..255. */
  int channel(int y, int x, int c) {
    return (rgb[y * width + x] >> (16 - 8 * c)) & 0xFF;
  }
}
