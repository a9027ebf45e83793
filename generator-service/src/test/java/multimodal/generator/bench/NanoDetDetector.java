package multimodal.generator.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import multimodal.generator.inference.vision.Detection;
import multimodal.generator.inference.vision.RgbPixels;
import multimodal.generator.inference.vision.TfBilinearResize;
import multimodal.generator.inference.vision.VisionModelDir;

/**
 * NanoDet (model-import's {@code nanodet-coco}) fed as @vladmandic/human 3.3.6 feeds it: RGB 0..255
 * stretched to 416x416 by {@code tf.image.resizeBilinear} (no half-pixel centres), then divided by
 * 255, then transposed to NCHW {@code [1, 3, 416, 416]}; the six outputs are told apart by shape,
 * as human does, and decoded by {@link NanoDetDecoder}. For the comparison bench only.
 */
public final class NanoDetDetector implements AutoCloseable {
  private static final float[] PIXEL_VALUES = TfBilinearResize.identityValues();

  private final OrtEnvironment env;
  private final OrtSession session;
  private final String input;
  private final int size;
  private final NanoDetDecoder decoder;

  public NanoDetDetector(VisionModelDir dir, OrtEnvironment env, OrtSession.SessionOptions options)
      throws OrtException {
    this.env = env;
    this.session = env.createSession(dir.model().toString(), options);
    this.input = session.getInputNames().iterator().next();
    long[] shape = ((TensorInfo) session.getInputInfo().get(input).getInfo()).getShape();
    if (shape.length != 4 || shape[1] != 3 || shape[2] != shape[3]) {
      session.close();
      throw new IllegalStateException(
          dir.model()
              + ": NanoDet input must be [1, 3, n, n], is "
              + java.util.Arrays.toString(shape));
    }
    this.size = (int) shape[2];
    this.decoder = new NanoDetDecoder(dir.labels(), size);
  }

  /** Tags best first with human's settings (minConfidence, iouThreshold, maxDetected). */
  public List<Detection> detect(
      RgbPixels image, double minConfidence, float iouThreshold, int maxDetected)
      throws OrtException {
    float[] nhwc = new float[size * size * 3];
    TfBilinearResize.resize(image, size, size, false, PIXEL_VALUES, nhwc, 0);
    float[] nchw = new float[nhwc.length];
    int plane = size * size;
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < 3; c++) {
        // human: tf.div(resized, 255) in float32 after the resize, then tf.transpose([0, 3, 1, 2])
        nchw[c * plane + p] = (float) (nhwc[3 * p + c] / 255.0);
      }
    }
    float[][] scores = new float[NanoDetDecoder.STRIDE_SIZES.length][];
    float[][] distributions = new float[NanoDetDecoder.STRIDE_SIZES.length][];
    try (OnnxTensor tensor =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), new long[] {1, 3, size, size});
        OrtSession.Result result = session.run(Map.of(input, tensor))) {
      for (Map.Entry<String, ai.onnxruntime.OnnxValue> output : result) {
        OnnxTensor value = (OnnxTensor) output.getValue();
        long[] shape = value.getInfo().getShape();
        int level = level(shape[1]);
        FloatBuffer buffer = value.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        if (shape[2] == decoder.classCount()) {
          scores[level] = values;
        } else {
          distributions[level] = values;
        }
      }
    }
    return decoder.decode(scores, distributions, minConfidence, iouThreshold, maxDetected);
  }

  private static int level(long cells) {
    for (int level = 0; level < NanoDetDecoder.STRIDE_SIZES.length; level++) {
      long grid = (long) NanoDetDecoder.BASE_GRID * NanoDetDecoder.STRIDE_SIZES[level];
      if (grid * grid == cells) {
        return level;
      }
    }
    throw new IllegalStateException(
        "NanoDet output with " + cells + " cells matches no grid of 13, 26, 52");
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
