package multimodal.generator.inference.caption;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import multimodal.generator.inference.generation.DecoderState;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.KvCache;
import multimodal.generator.inference.onnx.OrtTensors;

/**
 * Decoding state of an encoder-decoder's {@code decoder_model_merged.onnx}: the new tokens (as
 * {@code input_ids} for ViT-GPT2, docs/models.md §3.2, or as {@code inputs_embeds} through {@code
 * embed_tokens.onnx} for Florence-2, §4.1), fixed encoder inputs, {@code past_key_values.*}, {@code
 * use_cache_branch}; {@code logits} and {@code present.*} out.
 *
 * <p>With the cache only the newest token is fed; without it (benchmark baseline) the whole
 * sequence is fed with empty pasts every step, which is what a decoder without cache costs.
 */
final class EncoderDecoderState implements DecoderState {
  static final String USE_CACHE_BRANCH = "use_cache_branch";

  /** Turns token ids {@code [rows, n]} into the decoder's token input; closes what it made. */
  interface TokenInput {
    String name();

    OnnxTensor tensor(long[][] ids, GenerationControl control, List<AutoCloseable> created)
        throws OrtException;
  }

  private final OrtEnvironment env;
  private final OrtSession decoder;
  private final TokenInput tokenInput;
  private final Map<String, OnnxTensor> fixedInputs;
  private final Predicate<String> frozenPasts;
  private final boolean useCache;
  private final KvCache cache;
  private final int rows;
  private long[][] history;

  /**
   * @param fixedInputs inputs fed unchanged every step ({@code encoder_hidden_states}, ...); owned
   *     by the caller
   * @param frozenPasts pasts kept from the first step (Florence-2's cross-attention)
   */
  EncoderDecoderState(
      OrtEnvironment env,
      OrtSession decoder,
      int rows,
      TokenInput tokenInput,
      Map<String, OnnxTensor> fixedInputs,
      Predicate<String> frozenPasts,
      boolean useCache)
      throws OrtException {
    this.env = env;
    this.decoder = decoder;
    this.tokenInput = tokenInput;
    this.fixedInputs = Map.copyOf(fixedInputs);
    this.frozenPasts = frozenPasts;
    this.useCache = useCache;
    this.rows = rows;
    this.cache = new KvCache(env, decoder, rows);
    this.history = new long[rows][0];
  }

  /** ViT-GPT2: token ids go straight in as {@code input_ids}. */
  static TokenInput ids(OrtEnvironment env) {
    return new TokenInput() {
      @Override
      public String name() {
        return "input_ids";
      }

      @Override
      public OnnxTensor tensor(long[][] ids, GenerationControl control, List<AutoCloseable> created)
          throws OrtException {
        OnnxTensor tensor = OrtTensors.longTensor(env, ids);
        created.add(tensor);
        return tensor;
      }
    };
  }

  /** Florence-2 / SmolVLM: ids go through {@code embed_tokens.onnx} into {@code inputs_embeds}. */
  static TokenInput embeddings(OrtEnvironment env, OrtSession embedTokens) {
    return new TokenInput() {
      @Override
      public String name() {
        return "inputs_embeds";
      }

      @Override
      public OnnxTensor tensor(long[][] ids, GenerationControl control, List<AutoCloseable> created)
          throws OrtException {
        OnnxTensor tensor = OrtTensors.longTensor(env, ids);
        created.add(tensor);
        OrtSession.Result embedded =
            embedTokens.run(Map.of("input_ids", tensor), control.runOptions());
        created.add(embedded);
        return (OnnxTensor) embedded.get(0);
      }
    };
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
    List<AutoCloseable> created = new ArrayList<>();
    try {
      Map<String, OnnxTensor> inputs = new HashMap<>(fixedInputs);
      inputs.put(
          tokenInput.name(), tokenInput.tensor(useCache ? tokens : history, control, created));
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
      float[][][] logits = new float[1][][];
      OrtSession.Result result = OrtTensors.runStep(decoder, inputs, control, logits);
      if (useCache) {
        cache.advance(result, frozenPasts); // the cache now owns the result
      } else {
        result.close();
      }
      return logits[0];
    } catch (OrtException e) {
      throw control.failure(e);
    } finally {
      OrtTensors.closeReversed(created);
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
}
