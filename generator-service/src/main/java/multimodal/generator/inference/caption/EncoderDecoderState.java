package multimodal.generator.inference.caption;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import multimodal.generator.inference.generation.CachedDecoderState;
import multimodal.generator.inference.generation.GenerationControl;
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
public final class EncoderDecoderState extends CachedDecoderState {
  static final String USE_CACHE_BRANCH = "use_cache_branch";

  /**
   * How new tokens enter the decoder: as {@code input_ids} (ViT-GPT2) or through {@code
   * embed_tokens.onnx} as {@code inputs_embeds} (Florence-2).
   */
  public record TokenInput(String name, OrtSession embedTokens) {
    /** ViT-GPT2 and Whisper: token ids go straight in as {@code input_ids}. */
    public static TokenInput ids() {
      return new TokenInput("input_ids", null);
    }

    /** Florence-2: ids go through {@code embed_tokens.onnx} into {@code inputs_embeds}. */
    static TokenInput embeddings(OrtSession embedTokens) {
      return new TokenInput("inputs_embeds", embedTokens);
    }
  }

  private final OrtSession decoder;
  private final TokenInput tokenInput;
  private final Map<String, OnnxTensor> fixedInputs;
  private final Predicate<String> frozenPasts;
  private final boolean useCache;
  private long[][] history;

  /**
   * @param fixedInputs inputs fed unchanged every step ({@code encoder_hidden_states}, ...); owned
   *     by the caller
   * @param frozenPasts pasts kept from the first step (Florence-2's cross-attention)
   */
  public EncoderDecoderState(
      OrtEnvironment env,
      OrtSession decoder,
      int rows,
      TokenInput tokenInput,
      Map<String, OnnxTensor> fixedInputs,
      Predicate<String> frozenPasts,
      boolean useCache)
      throws OrtException {
    super(env, decoder, rows);
    this.decoder = decoder;
    this.tokenInput = tokenInput;
    this.fixedInputs = Map.copyOf(fixedInputs);
    this.frozenPasts = frozenPasts;
    this.useCache = useCache;
    this.history = new long[rows][0];
  }

  @Override
  protected float[][] feed(long[][] tokens, GenerationControl control, List<AutoCloseable> created)
      throws OrtException {
    for (int r = 0; r < rows(); r++) {
      long[] grown = Arrays.copyOf(history[r], history[r].length + tokens[r].length);
      System.arraycopy(tokens[r], 0, grown, history[r].length, tokens[r].length);
      history[r] = grown;
    }
    boolean cached = useCache && cache.filled();
    Map<String, OnnxTensor> inputs = new HashMap<>(fixedInputs);
    inputs.put(tokenInput.name(), tokens(useCache ? tokens : history, control, created));
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
    return run(decoder, inputs, control, useCache, frozenPasts);
  }

  private OnnxTensor tokens(long[][] ids, GenerationControl control, List<AutoCloseable> created)
      throws OrtException {
    if (tokenInput.embedTokens() != null) {
      return embed(tokenInput.embedTokens(), ids, control, created);
    }
    OnnxTensor tensor = OrtTensors.longTensor(env, ids);
    created.add(tensor);
    return tensor;
  }

  @Override
  public void reorder(int[] order) {
    long[][] reordered = new long[rows()][];
    for (int i = 0; i < rows(); i++) {
      reordered[i] = history[order[i]];
    }
    history = reordered;
    if (useCache) {
      super.reorder(order);
    }
  }
}
