package multimodal.encoder.inference;

/**
 * The tokenizer's view of one text.
 *
 * @param ids token ids including the special tokens, without padding
 * @param tokens the token strings, aligned with {@code ids}
 * @param truncated true when the text was cut to the context length (the end token is kept)
 */
public record TokenizedText(long[] ids, String[] tokens, boolean truncated) {}
