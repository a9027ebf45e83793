package multimodal.encoder.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs CLIP's text tower: tokenise, run {@code text_model.onnx}, return raw {@code text_embeds}. */
public final class TextEncoder implements AutoCloseable {
  public static final String INPUT_IDS = "input_ids";
  public static final String ATTENTION_MASK = "attention_mask";
  public static final String TEXT_EMBEDS = "text_embeds";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final ClipTokenizer tokenizer;
  private final boolean feedsMask;
  private final long dimension;

  TextEncoder(OrtEnvironment env, OrtSession session, ClipTokenizer tokenizer, String file)
      throws OrtException {
    this.env = env;
    this.session = session;
    this.tokenizer = tokenizer;
    this.dimension =
        SessionInterface.check(session, file, Set.of(INPUT_IDS), Set.of(ATTENTION_MASK), TEXT_EMBEDS);
    // The split export has no attention_mask; feed it only where a graph declares it.
    this.feedsMask = session.getInputNames().contains(ATTENTION_MASK);
  }

  /** Declared embedding size, or -1 when the graph leaves it symbolic. */
  long declaredDimension() {
    return dimension;
  }

  public ClipTokenizer tokenizer() {
    return tokenizer;
  }

  /** One raw (unnormalised) vector per text. */
  public float[][] encode(List<String> texts) throws OrtException {
    ClipTokenizer.TokenBatch batch = tokenizer.batch(texts);
    long[] shape = {batch.size(), batch.length()};
    try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(batch.ids()), shape);
        OnnxTensor mask =
            feedsMask ? OnnxTensor.createTensor(env, LongBuffer.wrap(batch.attentionMask()), shape) : null) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put(INPUT_IDS, ids);
      if (mask != null) {
        inputs.put(ATTENTION_MASK, mask);
      }
      try (OrtSession.Result result = session.run(inputs, Set.of(TEXT_EMBEDS))) {
        return (float[][]) result.get(0).getValue();
      }
    }
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
