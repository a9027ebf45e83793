package multimodal.encoder.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import multimodal.encoder.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The service's tokenizer (its text cleaning, then Hugging Face tokenizers via DJL from
 * tokenizer.json) against ids computed independently by a re-implementation of OpenAI's {@code
 * simple_tokenizer.py} from the original BPE file ({@code scripts/clip_tokenizer_golden.py} wrote
 * {@code clip-golden.json}): the expected ids come from OpenAI's merge ranks in {@code
 * bpe_simple_vocab_16e6.txt.gz} and its cleaning with Python's own {@code html.unescape} (twice),
 * {@code \s+} collapsing and {@code lower()}, never from the library under test. The HTML entity
 * and whitespace cases ({@code "&amp; &lt;html&gt; entities"}, {@code "&amp;amp;"}, …) fail without
 * {@link ClipTextCleaner}: the BPE would see {@code &amp;} instead of {@code &}.
 */
class ClipTokenizerGoldenTest {
  private static ClipTokenizer tokenizer;
  private static List<Case> cases;

  record Case(String text, long[] ids, boolean truncated) {}

  @BeforeAll
  static void load() throws IOException {
    var dir = TestModels.clipFixture();
    tokenizer =
        ClipTokenizer.load(
            dir.resolve("tokenizer.json"), Optional.of(dir.resolve("tokenizer_config.json")));
    cases = readCases();
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  static List<Case> readCases() throws IOException {
    try (InputStream in =
        ClipTokenizerGoldenTest.class.getResourceAsStream("/tokenizer/clip-golden.json")) {
      JsonNode root = new ObjectMapper().readTree(in);
      List<Case> out = new ArrayList<>();
      for (JsonNode c : root.get("cases")) {
        long[] ids = new long[c.get("ids").size()];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = c.get("ids").get(i).asLong();
        }
        out.add(new Case(c.get("text").asText(), ids, c.get("truncated").asBoolean()));
      }
      return out;
    }
  }

  static Stream<Arguments> golden() throws IOException {
    return readCases().stream().map(c -> Arguments.of(c.text(), c.ids(), c.truncated()));
  }

  @Test
  void theGoldenFileCoversAtLeastFiftyStringsIncludingTruncatedAndEmptyOnes() {
    assertThat(cases).hasSizeGreaterThanOrEqualTo(50);
    assertThat(cases).anyMatch(Case::truncated);
    assertThat(cases).anyMatch(c -> c.text().isEmpty());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("golden")
  void singleTextIdsEqualTheOpenAiReference(String text, long[] expected, boolean truncated) {
    assertThat(tokenizer.ids(text)).containsExactly(expected);
  }

  @Test
  void batchedTokenizeEqualsTheReferenceForEveryText() {
    List<TokenizedText> out = tokenizer.tokenize(cases.stream().map(Case::text).toList());

    assertThat(out).hasSameSizeAs(cases);
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      TokenizedText t = out.get(i);
      assertThat(t.ids()).as("ids of %s", c.text()).containsExactly(c.ids());
      assertThat(t.truncated()).as("truncated flag of %s", c.text()).isEqualTo(c.truncated());
      assertThat(t.tokens()).as("tokens of %s", c.text()).hasSameSizeAs(c.ids());
      if (c.truncated()) {
        assertThat(t.ids()).hasSize(ClipTokenizer.CONTEXT_LENGTH).endsWith(49407L);
      }
    }
  }
}
