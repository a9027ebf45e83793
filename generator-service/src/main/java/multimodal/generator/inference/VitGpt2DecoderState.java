package multimodal.generator.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decoding state of a ViT-GPT2 {@code decoder_model_merged.onnx} (model-formats.md §3.2):
 * {@code input_ids}, {@code encoder_hidden_states}, {@code past_key_values.N.key|value},
 * {@code use_cache_branch} in; {@code logits} and {@code present.N.*} out.
 *
 * <p>With the cache only the newest token is fed; without it (benchmark baseline) the whole
 * sequence is fed with empty pasts every step, which is what a decoder without cache costs.
 */
final class VitGpt2DecoderState implements DecoderState {
  static final String INPUT_IDS = "input_ids";
  static final String ENCODER_HIDDEN_STATES = "encoder_hidden_states";
  static final String USE_CACHE_BRANCH = "use_cache_branch";
  static final String LOGITS = "logits";

  private final OrtEnvironment env;
  private final OrtSession decoder;
  private final OnnxTensor encoderHidden;
  private final boolean useCache;
  private final KvCache cache;
  private final int rows;
  private long[][] history;

  /** @param encoderHidden {@code [rows, seq, hidden]}; stays owned by the caller */
  VitGpt2DecoderState(
      OrtEnvironment env, OrtSession decoder, OnnxTensor encoderHidden, boolean useCache)
      throws OrtException {
    this.env = env;
    this.decoder = decoder;
    this.encoderHidden = encoderHidden;
    this.useCache = useCache;
    this.rows = (int) encoderHidden.getInfo().getShape()[0];
    this.cache = new KvCache(env, decoder, rows);
    this.history = new long[rows][0];
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public float[][] step(long[][] tokens, GenerationControl control) {
    for (int r = 0; r < rows; r++) {
      long[] grown = Arrays.copyOf(history[r], history[r].length + tokens[r].length);
      System.arraycopy(tokens[r], 0, grown, history[r].length, tokens[r].length);
      history[r] = grown;
    }
    boolean cached = useCache && cache.filled();
    List<OnnxTensor> created = new ArrayList<>();
    try {
      OnnxTensor ids = OrtTensors.longTensor(env, useCache ? tokens : history);
      created.add(ids);
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put(INPUT_IDS, ids);
      inputs.put(ENCODER_HIDDEN_STATES, encoderHidden);
      if (decoder.getInputNames().contains(USE_CACHE_BRANCH)) {
        OnnxTensor flag = OnnxTensor.createTensor(env, new boolean[] {cached});
        created.add(flag);
        inputs.put(USE_CACHE_BRANCH, flag);
      }
      if (useCache) {
        inputs.putAll(cache.inputs());
      } else {
        Map<String, OnnxTensor> empties = cache.empties();
        created.addAll(empties.values());
        inputs.putAll(empties);
      }
      OrtSession.Result result = decoder.run(inputs, control.runOptions());
      float[][] logits;
      try {
        logits = OrtTensors.lastPositionRows((OnnxTensor) result.get(LOGITS).orElseThrow());
      } catch (RuntimeException e) {
        result.close();
        throw e;
      }
      if (useCache) {
        cache.advance(result, name -> false); // the cache now owns the result
      } else {
        result.close();
      }
      return logits;
    } catch (OrtException e) {
      throw control.failure(e);
    } finally {
      created.forEach(OnnxTensor::close);
    }
  }

  @Override
  public void reorder(int[] order) {
    long[][] reordered = new long[rows][];
    for (int i = 0; i < rows; i++) {
      reordered[i] = history[order[i]];
    }
    history = reordered;
    if (!useCache) {
      return;
    }
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

  static Set<String> requiredInputs() {
    return Set.of(INPUT_IDS, ENCODER_HIDDEN_STATES);
  }
}
