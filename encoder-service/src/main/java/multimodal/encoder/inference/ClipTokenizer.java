package multimodal.encoder.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * CLIP's BPE tokeniser, run by the Hugging Face tokenizers library (DJL binding) from the model
 * directory's {@code tokenizer.json}. Adds {@code <|startoftext|>} and {@code <|endoftext|>},
 * truncates to the 77-token context keeping the end token, and pads a batch to its longest text
 * with the {@code pad_token} of {@code tokenizer_config.json} (docs/models.md §2.3). Texts are
 * cleaned first as OpenAI's tokenizer cleans them (HTML entities, whitespace, case).
 */
public final class ClipTokenizer implements AutoCloseable {
  public static final int CONTEXT_LENGTH = 77;
  private static final String DEFAULT_PAD_TOKEN = "<|endoftext|>";

  private final HuggingFaceTokenizer tokenizer;
  private final long padId;

  private ClipTokenizer(HuggingFaceTokenizer tokenizer, long padId) {
    this.tokenizer = tokenizer;
    this.padId = padId;
  }

  public static ClipTokenizer load(Path tokenizerJson, Optional<Path> tokenizerConfig) {
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(tokenizerJson)
              .optAddSpecialTokens(true)
              .optTruncation(true)
              .optMaxLength(CONTEXT_LENGTH)
              .optPadding(false)
              .build();
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException(
          "cannot load tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
    }
    String padToken = tokenizerConfig.map(ClipTokenizer::padToken).orElse(DEFAULT_PAD_TOKEN);
    long[] pad = tokenizer.encode(padToken, false, false).getIds();
    if (pad.length != 1) {
      tokenizer.close();
      throw new ModelLoadException(
          "pad token '"
              + padToken
              + "' of "
              + tokenizerConfig.orElse(tokenizerJson)
              + " is not a single token");
    }
    return new ClipTokenizer(tokenizer, pad[0]);
  }

  /** Token ids of one text, with the special tokens, at most {@value #CONTEXT_LENGTH}. */
  public long[] ids(String text) {
    Encoding encoding = tokenizer.encode(ClipTextCleaner.clean(text));
    return encoding.getIds();
  }

  /** Ids and token strings of each text, in one batched call of the native tokenizer. */
  public List<TokenizedText> tokenize(List<String> texts) {
    Encoding[] encodings =
        tokenizer.batchEncode(texts.stream().map(ClipTextCleaner::clean).toList());
    List<TokenizedText> out = new ArrayList<>(encodings.length);
    for (Encoding encoding : encodings) {
      out.add(
          new TokenizedText(encoding.getIds(), encoding.getTokens(), encoding.exceedMaxLength()));
    }
    return out;
  }

  /** Ids of several texts padded to the longest, with the matching attention mask. */
  public TokenBatch batch(List<String> texts) {
    return pad(tokenize(texts), 0);
  }

  /**
   * Ids of tokenized texts padded to the longest, or to {@code fixedLength} when that is larger
   * than 0 (the Immich text graph takes exactly 77), with the matching attention mask.
   */
  public TokenBatch pad(List<TokenizedText> tokenized, int fixedLength) {
    long[][] rows = new long[tokenized.size()][];
    int length = fixedLength;
    for (int i = 0; i < rows.length; i++) {
      rows[i] = tokenized.get(i).ids();
      length = Math.max(length, rows[i].length);
    }
    long[] ids = new long[rows.length * length];
    long[] mask = new long[rows.length * length];
    Arrays.fill(ids, padId);
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, ids, i * length, rows[i].length);
      Arrays.fill(mask, i * length, i * length + rows[i].length, 1L);
    }
    return new TokenBatch(rows.length, length, ids, mask);
  }

  public long padId() {
    return padId;
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  private static String padToken(Path tokenizerConfig) {
    JsonNode pad = JsonFiles.read(tokenizerConfig).path("pad_token");
    if (pad.isTextual()) {
      return pad.asText();
    }
    return pad.path("content").asText(DEFAULT_PAD_TOKEN); // AddedToken form
  }

  /** Row-major {@code [size, length]} ids and attention mask. */
  public record TokenBatch(int size, int length, long[] ids, long[] attentionMask) {}
}
