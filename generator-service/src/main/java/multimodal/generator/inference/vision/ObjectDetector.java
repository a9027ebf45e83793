package multimodal.generator.inference.vision;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.List;

/**
 * CenterNet (MobileNetV3, COCO) object tags, fed as @vladmandic/human feeds it: the decoded RGB
 * image stretched to the model's square input with {@code tf.image.resizeBilinear} defaults ({@link
 * TfBilinearResize}, no aspect ratio kept), values 0..255 as float, NHWC. Rows become tags in
 * {@link CenterNetDecoder}. Thread-safe (ONNX Runtime sessions are).
 */
public final class ObjectDetector extends VisionModel {
  private static final float[] PIXEL_VALUES = TfBilinearResize.identityValues();

  /** The graph's post-processed rows; its other outputs (heatmap, sizes) are not needed. */
  static final String DETECTIONS = "tower_0/detections";

  private final CenterNetDecoder decoder;

  private ObjectDetector(VisionModelDir dir, VisionSession session) {
    super(dir, session);
    if (session.height() != session.width()) {
      session.close();
      throw new IllegalStateException(
          dir.model().toAbsolutePath()
              + ": CenterNet input must be square, is "
              + session.height()
              + "x"
              + session.width());
    }
    this.decoder = new CenterNetDecoder(dir.labels(), session.width());
  }

  public static ObjectDetector load(
      VisionModelDir dir, OrtEnvironment env, OrtSession.SessionOptions options)
      throws OrtException {
    return new ObjectDetector(dir, VisionSession.open(dir, env, options, DETECTIONS));
  }

  /**
   * The input the model gets for one image: {@code [size, size, 3]} floats (for checks and tests).
   */
  public float[] preprocess(RgbPixels image) {
    return input(image, this::write);
  }

  private void write(RgbPixels image, float[] pixels, int offset) {
    TfBilinearResize.resize(
        image, session.height(), session.width(), false, PIXEL_VALUES, pixels, offset);
  }

  /**
   * Tags per image, in order; each list best first. One run for all when the graph's batch is
   * dynamic.
   */
  public List<List<Detection>> detect(List<RgbPixels> images, DetectionSettings settings)
      throws OrtException {
    List<List<Detection>> results = new ArrayList<>(images.size());
    for (float[] rows : runEach(images, this::write)) {
      if (rows.length % CenterNetDecoder.ROW != 0) {
        throw new IllegalStateException(
            dir.model().toAbsolutePath()
                + ": detections have "
                + rows.length
                + " values per image, not rows of "
                + CenterNetDecoder.ROW);
      }
      results.add(decoder.decode(rows, 0, rows.length / CenterNetDecoder.ROW, settings));
    }
    return results;
  }

  /** Class names in class-index order. */
  public List<String> labels() {
    return dir.labels();
  }
}
