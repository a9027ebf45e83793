package multimodal.encoder.inference;

import ai.onnxruntime.OrtException;
import java.util.List;
import multimodal.encoder.InvalidInputException;
import multimodal.media.RgbImage;

/**
 * One served model: what it reports about itself, and its batched steps. Implementations are
 * thread-safe (ONNX Runtime sessions run concurrently; the rest is immutable).
 */
public interface EmbeddingModel extends AutoCloseable {
  String name();

  String version();

  int dimension();

  /** True for a generated demo/test fixture rather than trained weights. */
  boolean fixture();

  String description();

  /**
   * Whether {@link #preprocess} and {@link #embedPixels} are supported (CLIP) or not (text only).
   */
  boolean embedsImages();

  /** Token ids and strings of each text, as the text tower sees them. */
  List<TokenizedText> tokenize(List<String> texts);

  /**
   * One L2-normalised vector per text, in order (one session run, or a loop for batch-1 graphs).
   */
  float[][] embedTexts(List<String> texts) throws OrtException;

  /**
   * Decodes and preprocesses one encoded image into the image tower's input values.
   *
   * @param field names the item in errors
   * @throws InvalidInputException when it is over a limit, not decodable, or the model has no image
   *     tower
   */
  float[] preprocess(byte[] encoded, String field);

  /**
   * Preprocesses one already decoded frame (a video keyframe) into the image tower's input values.
   *
   * @throws InvalidInputException when the model has no image tower
   */
  float[] preprocessFrame(RgbImage frame, String field);

  /** One L2-normalised vector per preprocessed image, in order. */
  float[][] embedPixels(List<float[]> pixelValues) throws OrtException;

  /** One run of every tower, so the first request does not pay for lazy initialisation. */
  void warmUp() throws OrtException;

  @Override
  void close() throws OrtException;

  /** L2-normalises each row in place (a zero row stays zero) and returns the rows. */
  static float[][] normaliseRows(float[][] rows) {
    for (float[] row : rows) {
      double sum = 0;
      for (float v : row) {
        sum += (double) v * v;
      }
      if (sum > 0) {
        float scale = (float) (1.0 / Math.sqrt(sum));
        for (int i = 0; i < row.length; i++) {
          row[i] *= scale;
        }
      }
    }
    return rows;
  }
}
