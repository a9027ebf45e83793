package multimodal.generator.inference.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import multimodal.generator.InvalidInputException;
import multimodal.generator.TestImages;
import org.junit.jupiter.api.Test;

/** Real Tesseract with its English model on text rendered by Java2D. */
class TesseractOcrTest {
  private final TesseractOcr ocr =
      new TesseractOcr(
          TesseractOcr.findTessdata(Optional.empty())
              .orElseThrow(() -> new IllegalStateException("install tesseract-ocr-eng")),
          "eng");

  @Test
  void readsRenderedText() {
    String text = ocr.read(TestImages.text("HELLO WORLD 2024", 900, 150), List.of());
    assertThat(text).isEqualTo("HELLO WORLD 2024");
  }

  @Test
  void readsAnotherSentenceWithExplicitLanguage() {
    String text = ocr.read(TestImages.text("Invoice total 42", 900, 150), List.of("eng"));
    assertThat(text).isEqualTo("Invoice total 42");
  }

  @Test
  void keepsOneInitialisedEngineForSequentialCalls() {
    try (TesseractOcr pooled =
        new TesseractOcr(TesseractOcr.findTessdata(Optional.empty()).orElseThrow(), "eng", 2)) {
      assertThat(pooled.idleEngines("eng")).isZero();
      assertThat(pooled.read(TestImages.text("FIRST 1", 600, 120), List.of())).isEqualTo("FIRST 1");
      assertThat(pooled.read(TestImages.text("SECOND 2", 600, 120), List.of()))
          .isEqualTo("SECOND 2");
      // The engine of the first call served the second: still one, not one per call.
      assertThat(pooled.idleEngines("eng")).isEqualTo(1);
    }
  }

  @Test
  void concurrentCallsEachReadTheirOwnImage() throws Exception {
    List<String> texts =
        List.of("ALPHA 1", "BRAVO 2", "CHARLIE 3", "DELTA 4", "ECHO 5", "FOXTROT 6");
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(3);
    try (TesseractOcr pooled =
        new TesseractOcr(TesseractOcr.findTessdata(Optional.empty()).orElseThrow(), "eng", 2)) {
      List<java.util.concurrent.Future<String>> read = new java.util.ArrayList<>();
      for (int round = 0; round < 2; round++) {
        for (String text : texts) {
          read.add(threads.submit(() -> pooled.read(TestImages.text(text, 700, 120), List.of())));
        }
      }
      for (int i = 0; i < read.size(); i++) {
        assertThat(read.get(i).get()).isEqualTo(texts.get(i % texts.size()));
      }
      // Three threads at once made at most three engines; no more than two are kept.
      assertThat(pooled.idleEngines("eng")).isBetween(1, 2);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void blankImageHasNoText() {
    assertThat(ocr.read(TestImages.text("", 400, 150), List.of())).isEmpty();
  }

  @Test
  void unknownLanguageIsInvalidInput() {
    assertThatThrownBy(() -> ocr.read(TestImages.text("x", 100, 50), List.of("klingon")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("klingon");
  }

  @Test
  void findsDebianTessdata() {
    assertThat(TesseractOcr.findTessdata(Optional.empty()))
        .get()
        .satisfies(p -> assertThat(p.resolve("eng.traineddata")).exists());
    assertThat(TesseractOcr.findTessdata(Optional.of(Path.of("/x")))).contains(Path.of("/x"));
  }
}
