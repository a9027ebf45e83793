package multimodal.encoder.inference;

import static multimodal.encoder.Vectors.cosine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Optional;
import multimodal.encoder.InvalidInputException;
import multimodal.encoder.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real all-MiniLM-L6-v2 (ONNX + tokenizer.json unpacked from the langchain4j Maven artifact),
 * run by the encoder's own ONNX Runtime code with mean pooling: real semantics, not a fixture.
 */
class SentenceModelTest {
  private static SentenceModel model;

  @BeforeAll
  static void load() {
    model =
        (SentenceModel)
            ClipModelTest.LOADER.load(
                "minilm", TestModels.miniLm(), Optional.of("all-MiniLM-L6-v2"));
  }

  @AfterAll
  static void close() throws Exception {
    model.close();
  }

  @Test
  void isA384DimensionalTextOnlyModel() {
    assertThat(model.dimension()).isEqualTo(384);
    assertThat(model.embedsImages()).isFalse();
    assertThat(model.fixture()).isFalse();
    assertThat(model.version()).isEqualTo("all-MiniLM-L6-v2");
  }

  @Test
  void placesParaphrasesCloserThanUnrelatedText() throws Exception {
    float[][] v =
        model.embedTexts(
            List.of("a dog runs in the park", "a puppy playing on grass", "stock market report"));

    double related = cosine(v[0], v[1]);
    double unrelated = cosine(v[0], v[2]);
    assertThat(related).isGreaterThan(unrelated + 0.2);
    assertThat(related).isGreaterThan(0.3);
  }

  @Test
  void ranksTheMatchingCaptionFirstForAQuery() throws Exception {
    List<String> captions =
        List.of(
            "Invoice number 4411, total due 230 EUR",
            "A cat sleeping on a red sofa",
            "Sunset over the mountains with snow");
    float[][] docs = model.embedTexts(captions);
    float[] query = model.embedTexts(List.of("kitten napping on a couch"))[0];

    int best = 0;
    for (int i = 1; i < docs.length; i++) {
      if (cosine(query, docs[i]) > cosine(query, docs[best])) {
        best = i;
      }
    }
    assertThat(captions.get(best)).startsWith("A cat sleeping");
  }

  @Test
  void batchedAndSingleEmbeddingsAgreeAndAreNormalised() throws Exception {
    float[][] batch =
        model.embedTexts(
            List.of("short", "a much longer sentence that needs padding in the batch"));
    float[] single = model.embedTexts(List.of("short"))[0];

    assertThat(cosine(batch[0], single)).isCloseTo(1.0, within(1e-5));
    double norm = 0;
    for (float x : batch[1]) {
      norm += x * x;
    }
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void tokenizesWithWordPieceAndTruncatesLongTexts() {
    List<TokenizedText> tokens = model.tokenize(List.of("Hello world", "word ".repeat(400)));

    assertThat(tokens.get(0).tokens()).containsExactly("[CLS]", "hello", "world", "[SEP]");
    assertThat(tokens.get(0).truncated()).isFalse();
    assertThat(tokens.get(1).ids()).hasSize(ModelLoader.SENTENCE_MAX_TOKENS);
    assertThat(tokens.get(1).truncated()).isTrue();
  }

  @Test
  void refusesImages() {
    assertThatThrownBy(() -> model.preprocess(new byte[] {1}, "images[0]"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("embeds texts only");
  }
}
