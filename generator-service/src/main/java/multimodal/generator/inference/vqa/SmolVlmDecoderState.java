package multimodal.generator.inference.vqa;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import multimodal.generator.inference.generation.DecoderState;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.KvCache;
import multimodal.generator.inference.onnx.OrtTensors;

/**
 * Decoding state of a SmolVLM / Idefics3 {@code decoder_model_merged.onnx} (docs/models.md §5.1,
 * §5.5): {@code inputs_embeds}, {@code attention_mask} over past + new tokens, {@code position_ids}
 * continuing from the past length (0-based), {@code past_key_values.N.key|value}; no {@code
 * use_cache_branch}. The first step feeds the prompt embeddings with the image features merged in;
 * later steps embed the new token with {@code embed_tokens.onnx}.
 */
final class SmolVlmDecoderState implements DecoderState {
  static final String INPUTS_EMBEDS = "inputs_embeds";
  static final String ATTENTION_MASK = "attention_mask";
  static final String POSITION_IDS = "position_ids";

  private final OrtEnvironment env;
  private final OrtSession decoder;
  private final OrtSession embedTokens;
  private final OnnxTensor promptEmbeds;
  private final KvCache cache;
  private final int rows;
  private long pastLength;

  /**
   * @param promptEmbeds {@code [rows, T, hidden]}; stays owned by the caller
   */
  SmolVlmDecoderState(
      OrtEnvironment env, OrtSession decoder, OrtSession embedTokens, OnnxTensor promptEmbeds)
      throws OrtException {
    this.env = env;
    this.decoder = decoder;
    this.embedTokens = embedTokens;
    this.promptEmbeds = promptEmbeds;
    this.rows = (int) promptEmbeds.getInfo().getShape()[0];
    this.cache = new KvCache(env, decoder, rows);
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public float[][] step(long[][] tokens, GenerationControl control) {
    List<AutoCloseable> created = new ArrayList<>();
    try {
      OnnxTensor embeds;
      if (!cache.filled()) {
        embeds = promptEmbeds;
      } else {
        OnnxTensor ids = OrtTensors.longTensor(env, tokens);
        created.add(ids);
        OrtSession.Result embedded =
            embedTokens.run(Map.of("input_ids", ids), control.runOptions());
        created.add(embedded);
        embeds = (OnnxTensor) embedded.get(0);
      }
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
      float[][][] logits = new float[1][][];
      OrtSession.Result result = OrtTensors.runStep(decoder, inputs, control, logits);
      cache.advance(result, name -> false); // the cache now owns the result
      pastLength += seq;
      return logits[0];
    } catch (OrtException e) {
      throw control.failure(e);
    } finally {
      OrtTensors.closeReversed(created);
    }
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
