package multimodal.devkit.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON side files of the generated fixtures: configs and small WordLevel tokenizer.json files. */
final class FixtureJson {
  // Sorted keys keep the files byte-identical from run to run.
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private FixtureJson() {}

  static byte[] write(Object value) {
    try {
      return (JSON.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A Hugging Face tokenizer.json with a WordLevel model (id = index in {@code vocab}),
   * lower-casing and whitespace splitting, that DJL's tokenizers load.
   *
   * @param specials added special tokens (matched before normalisation, skipped when decoding)
   * @param postProcessor e.g. a TemplateProcessing that adds {@code <s> … </s>}; null for none
   */
  static byte[] wordLevelTokenizer(
      List<String> vocab, List<String> specials, String unk, Object postProcessor) {
    Map<String, Object> words = new LinkedHashMap<>();
    for (int i = 0; i < vocab.size(); i++) {
      words.put(vocab.get(i), i);
    }
    List<Map<String, Object>> added = new ArrayList<>();
    for (String special : specials) {
      Map<String, Object> token = new LinkedHashMap<>();
      token.put("id", vocab.indexOf(special));
      token.put("content", special);
      token.put("single_word", false);
      token.put("lstrip", false);
      token.put("rstrip", false);
      token.put("normalized", false);
      token.put("special", true);
      added.add(token);
    }
    Map<String, Object> tokenizer = new LinkedHashMap<>();
    tokenizer.put("version", "1.0");
    tokenizer.put("truncation", null);
    tokenizer.put("padding", null);
    tokenizer.put("added_tokens", added);
    tokenizer.put("normalizer", Map.of("type", "Lowercase"));
    tokenizer.put("pre_tokenizer", Map.of("type", "Whitespace"));
    tokenizer.put("post_processor", postProcessor);
    tokenizer.put("decoder", null);
    tokenizer.put("model", Map.of("type", "WordLevel", "vocab", words, "unk_token", unk));
    return write(tokenizer);
  }
}
