package multimodal.encoder.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import multimodal.encoder.inference.ClipImagePreprocessor;
import multimodal.encoder.inference.ClipModel;
import multimodal.encoder.inference.PreprocessorConfig;
import multimodal.media.ImageDecoder;
import multimodal.media.ImageLimits;

/**
 * The photographs as a client sends them that resizes and crops to the model's input before sending
 * (on its own machine): lossless PNGs of exactly the pixels the service computes from the originals
 * ({@link ClipImagePreprocessor#window}), so the service's embedding is the same and only its
 * decoding gets cheaper. {@link #largestDifference} checks the "same" on the model itself.
 */
final class ModelSizedImages {
  static List<byte[]> of(List<byte[]> images, Path modelDir) {
    ClipImagePreprocessor preprocessor =
        new ClipImagePreprocessor(
            PreprocessorConfig.read(modelDir.resolve("preprocessor_config.json")));
    ImageDecoder decoder = new ImageDecoder(new ImageLimits(16 << 20, 40_000_000));
    List<byte[]> out = new ArrayList<>(images.size());
    for (byte[] image : images) {
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      try {
        ImageIO.write(
            preprocessor.window(decoder.decode(image, "bench")).toBufferedImage(), "png", png);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.add(png.toByteArray());
    }
    return out;
  }

  /** The largest difference between the model's pixel values of an original and of its PNG. */
  static double largestDifference(ClipModel model, List<byte[]> originals, List<byte[]> sized) {
    double largest = 0;
    for (int i = 0; i < originals.size(); i++) {
      float[] a = model.preprocess(originals.get(i), "original");
      float[] b = model.preprocess(sized.get(i), "model-sized");
      if (a.length != b.length) {
        return Double.POSITIVE_INFINITY;
      }
      for (int j = 0; j < a.length; j++) {
        largest = Math.max(largest, Math.abs(a[j] - b[j]));
      }
    }
    return largest;
  }

  private ModelSizedImages() {}
}
