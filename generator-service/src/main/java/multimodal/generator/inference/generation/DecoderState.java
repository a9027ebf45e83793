package multimodal.generator.inference.generation;

/**
 * One batch of sequences being decoded by a layout's decoder, with its KV cache.
 *
 * <p>Layouts implement it (ViT-GPT2, Florence-2, SmolVLM); {@link GenerationEngine} drives it. All
 * rows advance in lock-step: every step feeds the same number of tokens per row.
 */
public interface DecoderState extends AutoCloseable {
  /** Number of rows (sequences) in the batch. */
  int rows();

  /**
   * Feeds the next tokens of every row and returns each row's scores for the token after them.
   *
   * @param tokens {@code [rows][n]} new tokens (the prompt on the first step, then one token)
   * @return {@code [rows][vocab]} logits of the last fed position
   */
  float[][] step(long[][] tokens, GenerationControl control);

  /** Beam search: new row {@code i} continues old row {@code order[i]} (KV cache rows copied). */
  void reorder(int[] order);

  @Override
  void close();
}
