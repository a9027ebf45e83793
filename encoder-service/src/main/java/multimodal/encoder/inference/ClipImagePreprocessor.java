package multimodal.encoder.inference;

import multimodal.media.RgbImage;
/**
 * Turns an {@link RgbImage} into CLIP {@code pixel_values} (docs/models.md §2.2): resize so the
 * short side is {@code shortestEdge} (long side truncated, as Python transformers does), centre
 * crop with {@code top = (h - crop) // 2} (zero padding when smaller), then {@code (v * rescale -
 * mean) / std}, planar NCHW, channels R, G, B.
 */
public final class ClipImagePreprocessor {
  private final PreprocessorConfig config;

  public ClipImagePreprocessor(PreprocessorConfig config) {
    this.config = config;
  }

  /** Values per image: {@code 3 * cropHeight * cropWidth}. */
  public int valuesPerImage() {
    return 3 * config.cropHeight() * config.cropWidth();
  }

  public int cropHeight() {
    return config.cropHeight();
  }

  public int cropWidth() {
    return config.cropWidth();
  }

  public float[] pixelValues(RgbImage image) {
    int[] size = resizedSize(image.width(), image.height(), config.shortestEdge());
    RgbImage resized = BicubicResampler.resize(image, size[0], size[1]);
    int cropH = config.cropHeight();
    int cropW = config.cropWidth();
    int top = Math.floorDiv(resized.height() - cropH, 2);
    int left = Math.floorDiv(resized.width() - cropW, 2);
    int plane = cropH * cropW;
    float[] out = new float[3 * plane];
    float[] mean = config.mean();
    float[] std = config.std();
    double rescale = config.rescaleFactor();
    for (int y = 0; y < cropH; y++) {
      int sy = y + top;
      for (int x = 0; x < cropW; x++) {
        int sx = x + left;
        boolean inside = sy >= 0 && sy < resized.height() && sx >= 0 && sx < resized.width();
        for (int c = 0; c < 3; c++) {
          int v = inside ? resized.sample(sx, sy, c) : 0;
          out[c * plane + y * cropW + x] = (float) ((v * rescale - mean[c]) / std[c]);
        }
      }
    }
    return out;
  }

  /** {@code [width, height]} after the shortest-edge resize. */
  static int[] resizedSize(int width, int height, int shortestEdge) {
    if (width <= height) {
      return new int[] {shortestEdge, (int) ((long) shortestEdge * height / width)};
    }
    return new int[] {(int) ((long) shortestEdge * width / height), shortestEdge};
  }
}
