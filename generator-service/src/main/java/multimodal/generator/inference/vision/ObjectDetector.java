package multimodal.generator.inference.vision;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.List;

/**
 * CenterNet (MobileNetV3, COCO) object tags, fed as @vladmandic/human feeds it: the decoded RGB
 * image stretched to the model's square input with {@code tf.image.resizeBilinear} defaults
 * ({@link TfBilinearResize}, no aspect ratio kept), values 0..255 as float, NHWC. Rows become tags
 * in {@link CenterNetDecoder}. Thread-safe (ONNX Runtime sessions are).
 */
public final class ObjectDetector implements AutoCloseable {
  private static final float[] PIXEL_VALUES = TfBilinearResize.identityValues();
  /** The graph's post-processed rows; its other outputs (heatmap, sizes) are not needed. */
  static final String DETECTIONS = "tower_0/detections";

  private final VisionModelDir dir;
  private final VisionSession session;
  private final CenterNetDecoder decoder;

  private ObjectDetector(VisionModelDir dir, VisionSession session) {
    this.dir = dir;
    this.session = session;
    if (session.height() != session.width()) {
      session.close();
      throw new IllegalStateException(dir.model().toAbsolutePath() + ": CenterNet input must be square, is "
          + session.height() + "x" + session.width());
    }
    this.decoder = new CenterNetDecoder(dir.labels(), session.width());
  }

  public static ObjectDetector load(VisionModelDir dir, OrtEnvironment env, OrtSession.SessionOptions options)
      throws OrtException {
    return new ObjectDetector(dir, VisionSession.open(dir, env, options, DETECTIONS));
  }

  /** The input the model gets for one image: {@code [size, size, 3]} floats (for checks and tests). */
  public float[] preprocess(RgbPixels image) {
    float[] pixels = new float[session.height() * session.width() * 3];
    TfBilinearResize.resize(image, session.height(), session.width(), false, PIXEL_VALUES, pixels, 0);
    return pixels;
  }

  /** Tags per image, in order; each list best first. One run for all when the graph's batch is dynamic. */
  public List<List<Detection>> detect(List<RgbPixels> images, DetectionSettings settings) throws OrtException {
    List<List<Detection>> results = new ArrayList<>(images.size());
    int step = session.dynamicBatch() ? Math.max(1, images.size()) : 1;
    int imageSize = session.height() * session.width() * 3;
    for (int from = 0; from < images.size(); from += step) {
      int batch = Math.min(step, images.size() - from);
      float[] pixels = new float[batch * imageSize];
      for (int i = 0; i < batch; i++) {
        TfBilinearResize.resize(images.get(from + i), session.height(), session.width(), false, PIXEL_VALUES,
            pixels, i * imageSize);
      }
      float[] rows = session.run(pixels, batch);
      int perImage = rows.length / batch;
      if (perImage % CenterNetDecoder.ROW != 0) {
        throw new IllegalStateException(dir.model().toAbsolutePath() + ": detections have " + perImage
            + " values per image, not rows of " + CenterNetDecoder.ROW);
      }
      for (int i = 0; i < batch; i++) {
        results.add(decoder.decode(rows, i * perImage, perImage / CenterNetDecoder.ROW, settings));
      }
    }
    return results;
  }

  /** The raw {@code [rows, 6]} output for one image (for the golden comparison). */
  public float[] raw(RgbPixels image) throws OrtException {
    return session.run(preprocess(image), 1);
  }

  /** Class names in class-index order. */
  public List<String> labels() {
    return dir.labels();
  }

  public String name() {
    return dir.name();
  }

  public String version() {
    return dir.version();
  }

  public boolean fixture() {
    return dir.fixture();
  }

  public boolean batched() {
    return session.dynamicBatch();
  }

  @Override
  public void close() {
    session.close();
  }
}
