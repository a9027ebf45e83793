package multimodal.generator.inference.vision;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the detector and the safety classifier share: their directory (name, version, fixture flag)
 * and session, and running images in as few session runs as the graph allows (all in one when its
 * batch dimension is dynamic, one by one otherwise).
 */
public abstract class VisionModel implements AutoCloseable {
  /**
   * Writes one image's input for {@code session}, {@code [height, width, 3]} floats, at {@code
   * offset}.
   */
  interface InputWriter {
    void write(VisionSession session, RgbPixels image, float[] pixels, int offset);
  }

  final VisionModelDir dir;
  final VisionSession session;

  VisionModel(VisionModelDir dir, VisionSession session) {
    this.dir = dir;
    this.session = session;
  }

  /** Each image's output values, in order. */
  List<float[]> runEach(List<RgbPixels> images, InputWriter writer) throws OrtException {
    return runEach(session, images, writer);
  }

  /** Each image's output values from {@code session}, in order. */
  static List<float[]> runEach(VisionSession session, List<RgbPixels> images, InputWriter writer)
      throws OrtException {
    List<float[]> outputs = new ArrayList<>(images.size());
    int step = session.dynamicBatch() ? Math.max(1, images.size()) : 1;
    int imageSize = session.height() * session.width() * 3;
    for (int from = 0; from < images.size(); from += step) {
      int batch = Math.min(step, images.size() - from);
      float[] pixels = new float[batch * imageSize];
      for (int i = 0; i < batch; i++) {
        writer.write(session, images.get(from + i), pixels, i * imageSize);
      }
      float[] values = session.run(pixels, batch);
      int perImage = values.length / batch;
      for (int i = 0; i < batch; i++) {
        outputs.add(java.util.Arrays.copyOfRange(values, i * perImage, (i + 1) * perImage));
      }
    }
    return outputs;
  }

  /** The input the model gets for one image (for checks and tests). */
  static float[] input(VisionSession session, RgbPixels image, InputWriter writer) {
    float[] pixels = new float[session.height() * session.width() * 3];
    writer.write(session, image, pixels, 0);
    return pixels;
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

  /** True when several images go through one session run. */
  public boolean batched() {
    return session.dynamicBatch();
  }

  @Override
  public void close() {
    session.close();
  }
}
