package multimodal.media;

import java.awt.image.BufferedImage;

/** An 8-bit RGB image, row-major and interleaved: {@code rgb[(y * width + x) * 3 + c]}. */
public record RgbImage(int width, int height, byte[] rgb) {
  public RgbImage {
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException(
          "expected " + width * height * 3 + " bytes, got " + rgb.length);
    }
  }

  /**
   * The stored 8-bit sRGB values of an AWT image ({@code getRGB}, alpha dropped); exact for the
   * {@code TYPE_INT_RGB} images {@link #toBufferedImage()} makes.
   */
  public static RgbImage of(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    byte[] rgb = new byte[width * height * 3];
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      image.getRGB(0, y, width, 1, row, 0, width);
      for (int x = 0; x < width; x++) {
        int base = (y * width + x) * 3;
        rgb[base] = (byte) (row[x] >> 16);
        rgb[base + 1] = (byte) (row[x] >> 8);
        rgb[base + 2] = (byte) row[x];
      }
    }
    return new RgbImage(width, height, rgb);
  }

  /** Channel {@code c} of pixel (x, y), 0..255. */
  public int sample(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c] & 0xff;
  }

  /** The same pixels as a {@code TYPE_INT_RGB} image, for code that draws or resizes with AWT. */
  public BufferedImage toBufferedImage() {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int base = (y * width + x) * 3;
        row[x] = (rgb[base] & 0xff) << 16 | (rgb[base + 1] & 0xff) << 8 | rgb[base + 2] & 0xff;
      }
      image.setRGB(0, y, width, 1, row, 0, width);
    }
    return image;
  }
}
