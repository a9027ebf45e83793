package multimodal.generator.inference.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Map.Entry;
import java.util.OptionalLong;

/**
 * A model directory's {@code tokenizer.json}, run by DJL's binding of Hugging Face tokenizers, plus
 * token-string → id lookups for special tokens (read from the same file, since DJL exposes none).
 */
public final class TextTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final Map<String, Long> vocabulary;

  private TextTokenizer(HuggingFaceTokenizer tokenizer, Map<String, Long> vocabulary) {
    this.tokenizer = tokenizer;
    this.vocabulary = vocabulary;
  }

  public static TextTokenizer load(Path tokenizerJson) throws IOException {
    HuggingFaceTokenizer tokenizer =
        HuggingFaceTokenizer.builder()
            .optTokenizerPath(tokenizerJson)
            .optAddSpecialTokens(false)
            .optTruncation(false)
            .optPadding(false)
            .build();
    return new TextTokenizer(
        tokenizer, vocabulary(new ObjectMapper().readTree(tokenizerJson.toFile())));
  }

  private static Map<String, Long> vocabulary(JsonNode json) {
    Map<String, Long> vocabulary = new HashMap<>();
    JsonNode vocab = json.path("model").path("vocab");
    if (vocab.isObject()) { // BPE, WordLevel, WordPiece
      for (Iterator<Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        Entry<String, JsonNode> entry = it.next();
        vocabulary.put(entry.getKey(), entry.getValue().asLong());
      }
    }
    for (JsonNode added : json.path("added_tokens")) {
      vocabulary.put(added.path("content").asText(), added.path("id").asLong());
    }
    return Map.copyOf(vocabulary);
  }

  /** Token ids of {@code text}, without special tokens unless the text spells them. */
  public long[] encode(String text) {
    return tokenizer.encode(text, false, false).getIds();
  }

  /** Token ids with the tokenizer's post-processor specials (e.g. BART's {@code <s> ... </s>}). */
  public long[] encodeWithSpecials(String text) {
    return tokenizer.encode(text, true, false).getIds();
  }

  public String decode(long[] ids) {
    return tokenizer.decode(ids, true);
  }

  /** The id of one token string (e.g. {@code <|endoftext|>}), if the vocabulary has it. */
  public OptionalLong id(String token) {
    Long id = vocabulary.get(token);
    return id == null ? OptionalLong.empty() : OptionalLong.of(id);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
