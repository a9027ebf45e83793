package multimodal.encoder.inference;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a CLIP image graph on preprocessed pixel values ({@code [batch, 3, H, W]} float32) and reads
 * one {@code [batch, dim]} output. A static batch of 1 (Immich) means looping; a graph that also
 * needs token ids (the combined {@code model.onnx}) gets the shortest text, {@code
 * <|startoftext|><|endoftext|>}, whose output is not requested.
 */
final class ImageTower implements AutoCloseable {
  private static final long[] DUMMY_IDS = {49406, 49407};

  private final OrtEnvironment env;
  private final OrtSession session;
  private final ClipImagePreprocessor preprocessor;
  private final String pixelInput;
  private final String output;
  private final boolean batchOfOne;
  private final String dummyIdsInput;
  private final boolean dummyMask;
  private final long dimension;

  ImageTower(
      OrtEnvironment env,
      OrtSession session,
      ClipImagePreprocessor preprocessor,
      String file,
      String pixelInput,
      String output,
      String dummyIdsInput)
      throws OrtException {
    this.env = env;
    this.session = session;
    this.preprocessor = preprocessor;
    this.pixelInput = pixelInput;
    this.output = output;
    this.dummyIdsInput = dummyIdsInput;
    Set<String> required =
        dummyIdsInput == null ? Set.of(pixelInput) : Set.of(pixelInput, dummyIdsInput);
    Set<String> optional = dummyIdsInput == null ? Set.of() : Set.of(TextTower.ATTENTION_MASK);
    this.dimension = SessionInterface.check(session, file, required, optional, output);
    this.dummyMask =
        dummyIdsInput != null && session.getInputNames().contains(TextTower.ATTENTION_MASK);
    TensorInfo pixels = SessionInterface.tensor(session, file, pixelInput);
    if (pixels.type != OnnxJavaType.FLOAT) {
      throw new ModelLoadException(
          file + ": input '" + pixelInput + "' is " + pixels.type + ", expected float32");
    }
    long[] shape = pixels.getShape();
    if (shape.length != 4) {
      throw new ModelLoadException(
          file
              + ": input '"
              + pixelInput
              + "' must be [batch, 3, height, width], is rank "
              + shape.length);
    }
    if ((shape[2] > 0 && shape[2] != preprocessor.cropHeight())
        || (shape[3] > 0 && shape[3] != preprocessor.cropWidth())) {
      throw new ModelLoadException(
          file
              + ": input '"
              + pixelInput
              + "' takes "
              + shape[3]
              + "x"
              + shape[2]
              + " images but the preprocessing config crops to "
              + preprocessor.cropWidth()
              + "x"
              + preprocessor.cropHeight());
    }
    this.batchOfOne = shape[0] == 1;
  }

  long declaredDimension() {
    return dimension;
  }

  boolean batchOfOne() {
    return batchOfOne;
  }

  ClipImagePreprocessor preprocessor() {
    return preprocessor;
  }

  /** One raw output vector per image; each input is one image's pixel values. */
  float[][] encode(List<float[]> pixelValues) throws OrtException {
    if (!batchOfOne || pixelValues.size() == 1) {
      return run(pixelValues);
    }
    float[][] out = new float[pixelValues.size()][];
    for (int i = 0; i < pixelValues.size(); i++) {
      out[i] = run(List.of(pixelValues.get(i)))[0];
    }
    return out;
  }

  private float[][] run(List<float[]> pixelValues) throws OrtException {
    int per = preprocessor.valuesPerImage();
    // A direct buffer in native order is handed to ONNX Runtime without another copy.
    FloatBuffer batch =
        ByteBuffer.allocateDirect(pixelValues.size() * per * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    for (float[] image : pixelValues) {
      if (image.length != per) {
        throw new IllegalArgumentException(
            "expected " + per + " pixel values, got " + image.length);
      }
      batch.put(image);
    }
    batch.rewind();
    long[] shape = {pixelValues.size(), 3, preprocessor.cropHeight(), preprocessor.cropWidth()};
    List<OnnxTensor> owned = new ArrayList<>(3);
    try {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      OnnxTensor input = OnnxTensor.createTensor(env, batch, shape);
      owned.add(input);
      inputs.put(pixelInput, input);
      if (dummyIdsInput != null) {
        OnnxTensor ids =
            OnnxTensor.createTensor(env, LongBuffer.wrap(DUMMY_IDS), new long[] {1, 2});
        owned.add(ids);
        inputs.put(dummyIdsInput, ids);
        if (dummyMask) {
          OnnxTensor mask =
              OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {1, 1}), new long[] {1, 2});
          owned.add(mask);
          inputs.put(TextTower.ATTENTION_MASK, mask);
        }
      }
      try (OrtSession.Result result = session.run(inputs, Set.of(output))) {
        return (float[][]) result.get(0).getValue();
      }
    } finally {
      for (OnnxTensor tensor : owned) {
        tensor.close();
      }
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
