package multimodal.encoder.inference;

import multimodal.media.RgbImage;
import multimodal.media.preprocess.PillowResize;
import multimodal.media.preprocess.PixelNormaliser;
import multimodal.media.preprocess.ResampleFilter;

/**
 * Turns an {@link RgbImage} into CLIP {@code pixel_values} (docs/models.md §2.2): resize so the
 * short side is {@code shortestEdge} (long side truncated, as Python transformers does) with
 * Pillow's bicubic, centre crop with {@code top = (h - crop) // 2} (zero padding when smaller),
 * then {@code (v * rescale - mean) / std}, planar NCHW, channels R, G, B (media's {@link
 * PillowResize} and {@link PixelNormaliser}).
 */
public final class ClipImagePreprocessor {
  private final PreprocessorConfig config;
  private final PixelNormaliser normaliser;

  public ClipImagePreprocessor(PreprocessorConfig config) {
    this.config = config;
    this.normaliser = new PixelNormaliser(config.rescaleFactor(), config.mean(), config.std());
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
    return normaliser.centreCrop(window(image), config.cropWidth(), config.cropHeight());
  }

  /**
   * The pixels the model sees, before normalisation: the image resized and centre-cropped (smaller
   * than the crop only where the resized image is). An image of exactly these pixels, sent
   * losslessly, gets the same pixel values as the original.
   */
  public RgbImage window(RgbImage image) {
    int[] size = resizedSize(image.width(), image.height(), config.shortestEdge());
    // Only the crop's window is resized: the same values as resizing all, then cropping.
    return PillowResize.resizeCentre(
        image, size[0], size[1], ResampleFilter.BICUBIC, config.cropWidth(), config.cropHeight());
  }

  /** {@code [width, height]} after the shortest-edge resize. */
  static int[] resizedSize(int width, int height, int shortestEdge) {
    if (width <= height) {
      return new int[] {shortestEdge, (int) ((long) shortestEdge * height / width)};
    }
    return new int[] {(int) ((long) shortestEdge * width / height), shortestEdge};
  }
}
