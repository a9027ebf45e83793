package multimodal.encoder.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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

class ClipTokenizerTest {
  private static ClipTokenizer tokenizer;

  @BeforeAll
  static void load() {
    Path dir = TestModels.clipFixture();
    tokenizer =
        ClipTokenizer.load(
            dir.resolve("tokenizer.json"), Optional.of(dir.resolve("tokenizer_config.json")));
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  /** docs/models.md §2.3 (the first five are transformers.js' own test vectors). */
  static Stream<Arguments> goldenIds() {
    return Stream.of(
        Arguments.of("How are you doing?", new long[] {49406, 829, 631, 592, 1960, 286, 49407}),
        Arguments.of(
            "You should've done this", new long[] {49406, 592, 1535, 1200, 1700, 589, 49407}),
        Arguments.of(
            "The company was founded in 2016.",
            new long[] {49406, 518, 2634, 739, 12240, 530, 273, 271, 272, 277, 269, 49407}),
        Arguments.of(
            "UNwantéd,running", new long[] {49406, 569, 18356, 3459, 323, 267, 2761, 49407}),
        Arguments.of("Hello World", new long[] {49406, 3306, 1002, 49407}),
        Arguments.of(
            "a photo of a cat.", new long[] {49406, 320, 1125, 539, 320, 2368, 269, 49407}));
  }

  @ParameterizedTest
  @MethodSource
  void goldenIds(String text, long[] expected) {
    assertThat(tokenizer.ids(text)).containsExactly(expected);
  }

  @Test
  void truncatesToTheContextKeepingTheEndToken() {
    long[] ids = tokenizer.ids("cat ".repeat(200));
    assertThat(ids).hasSize(ClipTokenizer.CONTEXT_LENGTH);
    assertThat(ids[0]).isEqualTo(49406);
    assertThat(ids[76]).isEqualTo(49407);
    assertThat(ids[75]).isEqualTo(2368);
  }

  @Test
  void padsABatchToItsLongestTextWithTheEndToken() {
    ClipTokenizer.TokenBatch batch = tokenizer.batch(List.of("a dog", "a photo of a cat."));
    assertThat(batch.size()).isEqualTo(2);
    assertThat(batch.length()).isEqualTo(8);
    assertThat(batch.ids()).startsWith(49406, 320, 1929, 49407, 49407, 49407, 49407, 49407, 49406);
    assertThat(batch.attentionMask()).startsWith(1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
    assertThat(tokenizer.padId()).isEqualTo(49407);
  }
}
