package multimodal.encoder.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs CLIP's image tower on preprocessed {@code pixel_values}; returns raw {@code image_embeds}. */
public final class ImageEncoder implements AutoCloseable {
  public static final String PIXEL_VALUES = "pixel_values";
  public static final String IMAGE_EMBEDS = "image_embeds";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final ClipImagePreprocessor preprocessor;
  private final long dimension;

  ImageEncoder(OrtEnvironment env, OrtSession session, ClipImagePreprocessor preprocessor, String file)
      throws OrtException {
    this.env = env;
    this.session = session;
    this.preprocessor = preprocessor;
    this.dimension = SessionInterface.check(session, file, Set.of(PIXEL_VALUES), Set.of(), IMAGE_EMBEDS);
  }

  long declaredDimension() {
    return dimension;
  }

  public ClipImagePreprocessor preprocessor() {
    return preprocessor;
  }

  /** One raw (unnormalised) vector per image; each input is one image's pixel values. */
  public float[][] encode(List<float[]> pixelValues) throws OrtException {
    int per = preprocessor.valuesPerImage();
    // A direct buffer in native order is handed to ONNX Runtime without another copy.
    FloatBuffer batch =
        ByteBuffer.allocateDirect(pixelValues.size() * per * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    for (float[] image : pixelValues) {
      if (image.length != per) {
        throw new IllegalArgumentException("expected " + per + " pixel values, got " + image.length);
      }
      batch.put(image);
    }
    batch.rewind();
    long[] shape = {pixelValues.size(), 3, preprocessor.cropHeight(), preprocessor.cropWidth()};
    try (OnnxTensor input = OnnxTensor.createTensor(env, batch, shape);
        OrtSession.Result result = session.run(Map.of(PIXEL_VALUES, input), Set.of(IMAGE_EMBEDS))) {
      return (float[][]) result.get(0).getValue();
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
