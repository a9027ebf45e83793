package multimodal.media.preprocess;

import multimodal.media.RgbImage;

/**
 * Resize to a fixed size without keeping the aspect ratio (as the ViT, Florence-2 and Idefics3
 * processors do), with Pillow's filter, then normalise into planar floats {@code [3, height,
 * width]}.
 */
public final class FixedSizePreprocessor {
  private final int width;
  private final int height;
  private final ResampleFilter filter;
  private final PixelNormaliser normaliser;

  public FixedSizePreprocessor(
      int width, int height, ResampleFilter filter, PixelNormaliser normaliser) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.filter = filter;
    this.normaliser = normaliser;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** {@code 3 * height * width} floats, channel-planar. */
  public float[] pixels(RgbImage image) {
    return normaliser.planar(PillowResize.resize(image, width, height, filter));
  }
}
