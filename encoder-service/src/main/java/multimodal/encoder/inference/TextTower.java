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
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a CLIP text graph: tokenise, feed the ids (int64, or int32 for Immich), read one {@code
 * [batch, dim]} output. What differs between layouts is read from the session: a static batch of 1
 * means looping item by item; a static sequence length means padding to it; a graph that also needs
 * pixels (the combined {@code model.onnx}) gets one all-zero dummy image, whose output is not
 * requested.
 */
final class TextTower implements AutoCloseable {
  static final String ATTENTION_MASK = "attention_mask";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final ClipTokenizer tokenizer;
  private final String idsInput;
  private final boolean int32;
  private final boolean feedsMask;
  private final boolean maskInt32;
  private final String output;
  private final int fixedLength;
  private final boolean batchOfOne;
  private final String dummyPixelsInput;
  private final long[] dummyPixelsShape;
  private final long dimension;

  /**
   * @param dummyPixelsInput the image input a combined graph also requires, else null
   * @param crop the image size fed to that input
   */
  TextTower(
      OrtEnvironment env,
      OrtSession session,
      ClipTokenizer tokenizer,
      String file,
      String idsInput,
      String output,
      String dummyPixelsInput,
      int crop)
      throws OrtException {
    this.env = env;
    this.session = session;
    this.tokenizer = tokenizer;
    this.idsInput = idsInput;
    this.output = output;
    this.dummyPixelsInput = dummyPixelsInput;
    this.dummyPixelsShape = new long[] {1, 3, crop, crop};
    Set<String> required =
        dummyPixelsInput == null ? Set.of(idsInput) : Set.of(idsInput, dummyPixelsInput);
    this.dimension =
        SessionInterface.check(session, file, required, Set.of(ATTENTION_MASK), output);
    TensorInfo ids = SessionInterface.tensor(session, file, idsInput);
    this.int32 = SessionInterface.integerType(file, idsInput, ids) == OnnxJavaType.INT32;
    this.feedsMask = session.getInputNames().contains(ATTENTION_MASK);
    this.maskInt32 =
        feedsMask
            && SessionInterface.integerType(
                    file, ATTENTION_MASK, SessionInterface.tensor(session, file, ATTENTION_MASK))
                == OnnxJavaType.INT32;
    long[] shape = ids.getShape();
    if (shape.length != 2) {
      throw new ModelLoadException(
          file + ": input '" + idsInput + "' must be [batch, sequence], is rank " + shape.length);
    }
    this.batchOfOne = shape[0] == 1;
    this.fixedLength = (int) Math.max(0, shape[1]);
    if (fixedLength > 0 && fixedLength < ClipTokenizer.CONTEXT_LENGTH) {
      throw new ModelLoadException(
          file
              + ": input '"
              + idsInput
              + "' has a fixed length of "
              + fixedLength
              + ", shorter than CLIP's "
              + ClipTokenizer.CONTEXT_LENGTH);
    }
  }

  long declaredDimension() {
    return dimension;
  }

  boolean batchOfOne() {
    return batchOfOne;
  }

  ClipTokenizer tokenizer() {
    return tokenizer;
  }

  /** One raw output vector per text. */
  float[][] encode(List<String> texts) throws OrtException {
    if (!batchOfOne || texts.size() == 1) {
      return run(texts);
    }
    float[][] out = new float[texts.size()][];
    for (int i = 0; i < texts.size(); i++) {
      out[i] = run(List.of(texts.get(i)))[0];
    }
    return out;
  }

  private float[][] run(List<String> texts) throws OrtException {
    ClipTokenizer.TokenBatch batch = tokenizer.pad(tokenizer.tokenize(texts), fixedLength);
    long[] shape = {batch.size(), batch.length()};
    List<OnnxTensor> owned = new ArrayList<>(3);
    try {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put(idsInput, own(owned, ids(batch.ids(), shape, int32)));
      if (feedsMask) {
        inputs.put(ATTENTION_MASK, own(owned, ids(batch.attentionMask(), shape, maskInt32)));
      }
      if (dummyPixelsInput != null) {
        int size = (int) (dummyPixelsShape[1] * dummyPixelsShape[2] * dummyPixelsShape[3]);
        FloatBuffer zeros =
            ByteBuffer.allocateDirect(size * Float.BYTES)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        inputs.put(
            dummyPixelsInput, own(owned, OnnxTensor.createTensor(env, zeros, dummyPixelsShape)));
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

  private OnnxTensor ids(long[] values, long[] shape, boolean asInt32) throws OrtException {
    if (!asInt32) {
      return OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape);
    }
    int[] narrow = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      narrow[i] = (int) values[i];
    }
    return OnnxTensor.createTensor(env, IntBuffer.wrap(narrow), shape);
  }

  private static OnnxTensor own(List<OnnxTensor> owned, OnnxTensor tensor) {
    owned.add(tensor);
    return tensor;
  }

  @Override
  public void close() throws OrtException {
    try {
      session.close();
    } finally {
      tokenizer.close();
    }
  }
}
