package multimodal.generator.inference.vqa;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import multimodal.generator.inference.generation.CachedDecoderState;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.onnx.OrtTensors;

/**
 * Decoding state of a SmolVLM / Idefics3 {@code decoder_model_merged.onnx} (docs/models.md §5.1,
 * §5.5): {@code inputs_embeds}, {@code attention_mask} over past + new tokens, {@code position_ids}
 * continuing from the past length (0-based), {@code past_key_values.N.key|value}; no {@code
 * use_cache_branch}. The first step feeds the prompt embeddings with the image features merged in;
 * later steps embed the new token with {@code embed_tokens.onnx}.
 */
final class SmolVlmDecoderState extends CachedDecoderState {
  static final String INPUTS_EMBEDS = "inputs_embeds";
  static final String ATTENTION_MASK = "attention_mask";
  static final String POSITION_IDS = "position_ids";

  private final OrtSession decoder;
  private final OrtSession embedTokens;
  private final OnnxTensor promptEmbeds;
  private long pastLength;

  /**
   * @param promptEmbeds {@code [rows, T, hidden]}; stays owned by the caller
   */
  SmolVlmDecoderState(
      OrtEnvironment env, OrtSession decoder, OrtSession embedTokens, OnnxTensor promptEmbeds)
      throws OrtException {
    super(env, decoder, (int) promptEmbeds.getInfo().getShape()[0]);
    this.decoder = decoder;
    this.embedTokens = embedTokens;
    this.promptEmbeds = promptEmbeds;
  }

  @Override
  protected float[][] feed(long[][] tokens, GenerationControl control, List<AutoCloseable> created)
      throws OrtException {
    OnnxTensor embeds =
        cache.filled() ? embed(embedTokens, tokens, control, created) : promptEmbeds;
    int rows = rows();
    int seq = (int) embeds.getInfo().getShape()[1];
    long[][] mask = new long[rows][(int) pastLength + seq];
    long[][] positions = new long[rows][seq];
    for (int r = 0; r < rows; r++) {
      java.util.Arrays.fill(mask[r], 1L);
      for (int i = 0; i < seq; i++) {
        positions[r][i] = pastLength + i;
      }
    }
    OnnxTensor maskTensor = OrtTensors.longTensor(env, mask);
    created.add(maskTensor);
    OnnxTensor positionTensor = OrtTensors.longTensor(env, positions);
    created.add(positionTensor);
    Map<String, OnnxTensor> inputs = new HashMap<>(cache.inputs());
    inputs.put(INPUTS_EMBEDS, embeds);
    inputs.put(ATTENTION_MASK, maskTensor);
    inputs.put(POSITION_IDS, positionTensor);
    float[][] logits = run(decoder, inputs, control, true, name -> false);
    pastLength += seq;
    return logits;
  }
}
