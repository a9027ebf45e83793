package multimodal.generator.inference.caption;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.List;
import multimodal.generator.inference.onnx.OrtTensors;
import multimodal.media.RgbImage;
import multimodal.media.preprocess.FixedSizePreprocessor;

/**
 * The vision encoders' input: every image preprocessed, one after another, {@code [n, 3, h, w]}.
 */
final class PixelBatch {
  private PixelBatch() {}

  /** A direct buffer for ONNX Runtime, positioned at 0. */
  static FloatBuffer of(FixedSizePreprocessor preprocessor, List<BufferedImage> images) {
    int plane = 3 * preprocessor.width() * preprocessor.height();
    FloatBuffer pixels = OrtTensors.floats(images.size() * plane);
    for (BufferedImage image : images) {
      pixels.put(preprocessor.pixels(RgbImage.of(image)));
    }
    return pixels.rewind();
  }
}
