package multimodal.encoder.inference;

/** An 8-bit RGB image, row-major and interleaved: {@code rgb[(y * width + x) * 3 + c]}. */
public record RgbImage(int width, int height, byte[] rgb) {
  public RgbImage {
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException("expected " + width * height * 3 + " bytes, got " + rgb.length);
    }
  }

  /** Channel {@code c} of pixel (x, y), 0..255. */
  public int sample(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c] & 0xff;
  }
}
