package multimodal.generator.inference.generation;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import multimodal.generator.inference.onnx.OrtTensors;

/**
 * What every family's decoder state shares around its KV cache: one step's scratch tensors closed
 * after the step, ONNX Runtime failures turned into the generation's failure, the presents handed
 * to the cache, beam re-orders and closing. A family only says which inputs its decoder takes
 * ({@link #feed}); {@link GenerationEngine} drives every family the same way.
 */
public abstract class CachedDecoderState implements DecoderState {
  protected final OrtEnvironment env;
  protected final KvCache cache;
  private final int rows;

  protected CachedDecoderState(OrtEnvironment env, OrtSession decoder, int rows)
      throws OrtException {
    this.env = env;
    this.rows = rows;
    this.cache = new KvCache(env, decoder, rows);
  }

  @Override
  public final int rows() {
    return rows;
  }

  @Override
  public final float[][] step(long[][] tokens, GenerationControl control) {
    List<AutoCloseable> created = new ArrayList<>();
    try {
      return feed(tokens, control, created);
    } catch (OrtException e) {
      throw control.failure(e);
    } finally {
      OrtTensors.closeReversed(created);
    }
  }

  /**
   * One decoder step: builds the family's inputs (tensors it makes go into {@code created}, closed
   * after the step) and returns {@link #run}'s logits.
   */
  protected abstract float[][] feed(
      long[][] tokens, GenerationControl control, List<AutoCloseable> created) throws OrtException;

  /**
   * Runs {@code decoder} once; with {@code keep} the cache takes the presents (those {@code frozen}
   * matches stay from the first step), otherwise the result is closed here.
   *
   * @return {@code [rows][vocab]} logits of the last position
   */
  protected final float[][] run(
      OrtSession decoder,
      Map<String, OnnxTensor> inputs,
      GenerationControl control,
      boolean keep,
      Predicate<String> frozen)
      throws OrtException {
    float[][][] logits = new float[1][][];
    OrtSession.Result result = OrtTensors.runStep(decoder, inputs, control, logits);
    if (keep) {
      cache.advance(result, frozen); // the cache now owns the result
    } else {
      result.close();
    }
    return logits[0];
  }

  /**
   * Token ids through {@code embed_tokens.onnx} into {@code inputs_embeds} (Florence-2, SmolVLM).
   */
  protected final OnnxTensor embed(
      OrtSession embedTokens, long[][] ids, GenerationControl control, List<AutoCloseable> created)
      throws OrtException {
    OnnxTensor tensor = OrtTensors.longTensor(env, ids);
    created.add(tensor);
    OrtSession.Result embedded = embedTokens.run(Map.of("input_ids", tensor), control.runOptions());
    created.add(embedded);
    return (OnnxTensor) embedded.get(0);
  }

  @Override
  public void reorder(int[] order) {
    try {
      cache.reorder(order);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot re-order the KV cache: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    cache.close();
  }
}
