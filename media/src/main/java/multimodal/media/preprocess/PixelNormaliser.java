package multimodal.media.preprocess;

import multimodal.media.RgbImage;

/**
 * 8-bit RGB to the planar float input of a vision model ({@code [3, height, width]}, channels R, G,
 * B): {@code (v * rescale - mean[c]) / std[c]}, computed in double and stored as float, as Hugging
 * Face image processors do in numpy. Only 256 values exist per channel, so they are computed once
 * into a table.
 */
public final class PixelNormaliser {
  private final float[][] table = new float[3][256];

  /**
   * @param rescale multiplies the 8-bit value first ({@code rescale_factor}, normally 1/255)
   * @param mean per-channel mean, R, G, B
   * @param std per-channel standard deviation, R, G, B
   */
  public PixelNormaliser(double rescale, float[] mean, float[] std) {
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException(
          "mean and std need three channels, got " + mean.length + " and " + std.length);
    }
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        table[c][v] = (float) ((v * rescale - mean[c]) / std[c]);
      }
    }
  }

  /** Rescale 1/255, the value of every preprocessor config the platform reads. */
  public static PixelNormaliser unitScale(float[] mean, float[] std) {
    return new PixelNormaliser(1 / 255.0, mean, std);
  }

  /** The normalised value of 8-bit {@code value} in channel {@code channel}. */
  public float value(int channel, int value) {
    return table[channel][value];
  }

  /** The whole image, {@code 3 * height * width} floats. */
  public float[] planar(RgbImage image) {
    return centreCrop(image, image.width(), image.height());
  }

  /**
   * The centre {@code cropWidth × cropHeight} of the image with {@code top = (h - cropHeight) // 2}
   * and {@code left = (w - cropWidth) // 2} (Python transformers' rule; torchvision rounds and
   * differs by one pixel on odd margins); outside a smaller image the 8-bit value is taken as 0.
   */
  public float[] centreCrop(RgbImage image, int cropWidth, int cropHeight) {
    int top = Math.floorDiv(image.height() - cropHeight, 2);
    int left = Math.floorDiv(image.width() - cropWidth, 2);
    int plane = cropHeight * cropWidth;
    float[] out = new float[3 * plane];
    byte[] rgb = image.rgb();
    if (top == 0 && left == 0 && image.width() == cropWidth && image.height() == cropHeight) {
      planes(rgb, plane, out); // the image is the crop (the encoder's window): nothing to check
      return out;
    }
    for (int y = 0; y < cropHeight; y++) {
      int sy = y + top;
      boolean rowInside = sy >= 0 && sy < image.height();
      for (int x = 0; x < cropWidth; x++) {
        int sx = x + left;
        boolean inside = rowInside && sx >= 0 && sx < image.width();
        int base = inside ? (sy * image.width() + sx) * 3 : -1;
        int at = y * cropWidth + x;
        for (int c = 0; c < 3; c++) {
          out[c * plane + at] = table[c][inside ? rgb[base + c] & 0xff : 0];
        }
      }
    }
    return out;
  }

  private void planes(byte[] rgb, int plane, float[] out) {
    float[] red = table[0];
    float[] green = table[1];
    float[] blue = table[2];
    for (int i = 0, p = 0; p < plane; i += 3, p++) {
      out[p] = red[rgb[i] & 0xff];
      out[plane + p] = green[rgb[i + 1] & 0xff];
      out[2 * plane + p] = blue[rgb[i + 2] & 0xff];
    }
  }
}
