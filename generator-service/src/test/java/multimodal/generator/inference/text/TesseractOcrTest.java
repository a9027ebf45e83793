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
    assertThat(TesseractOcr.findTessdata(Optional.empty())).get().satisfies(
        p -> assertThat(p.resolve("eng.traineddata")).exists());
    assertThat(TesseractOcr.findTessdata(Optional.of(Path.of("/x")))).contains(Path.of("/x"));
  }
}
