package multimodal.generator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import multimodal.generator.TestImages;
import multimodal.generator.TestModels;
import multimodal.generator.inference.caption.VitGpt2Captioner;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.onnx.ModelFiles;
import multimodal.generator.inference.text.TesseractOcr;
import multimodal.generator.inference.text.TextPresence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The caption consumer's step with the demo caption fixture and real Tesseract: captions and texts
 * come back in input order across several caption batches, images with text are OCR'd, and the text
 * check skips the shapes (empty text, marked skipped) but never an image with text.
 */
class CaptionEnrichmentTest {
  private static OrtSession.SessionOptions options;
  private static VitGpt2Captioner captioner;
  private static TesseractOcr ocr;

  @BeforeAll
  static void load() throws Exception {
    options = new OrtSession.SessionOptions();
    captioner =
        VitGpt2Captioner.load(
            new ModelFiles(TestModels.captionFixture()), OrtEnvironment.getEnvironment(), options);
    ocr = new TesseractOcr(TesseractOcr.findTessdata(Optional.empty()).orElseThrow(), "eng");
  }

  @AfterAll
  static void close() throws Exception {
    captioner.close();
    ocr.close();
    options.close();
  }

  @Test
  void captionsAndReadsInInputOrderAcrossBatches() {
    List<BufferedImage> images = new ArrayList<>();
    images.add(TestImages.shape(Color.RED, "circle", 224));
    images.add(TestImages.text("EXIT 12", 900, 150));
    images.add(TestImages.shape(Color.BLUE, "square", 224));
    images.add(TestImages.text("Invoice total 42", 900, 150));
    images.add(TestImages.shape(Color.GREEN, "circle", 64));
    DecodingOptions greedy = DecodingOptions.greedy(20, captioner.defaults().stopTokens());
    try (CaptionEnrichment enrichment =
        new CaptionEnrichment(Optional.of(new TextPresence()), 2, 2)) {
      List<CaptionEnrichment.Enriched> out =
          enrichment.enrich(captioner, Optional.of(ocr), images, greedy);
      assertThat(out).hasSize(5);
      assertThat(out.get(0).caption().text()).isEqualTo("a red circle");
      assertThat(out.get(2).caption().text()).isEqualTo("a blue square");
      assertThat(out.get(4).caption().text()).isEqualTo("a green circle");
      assertThat(out.get(1).ocr().orElseThrow().text()).isEqualTo("EXIT 12");
      assertThat(out.get(1).ocr().orElseThrow().skipped()).isFalse();
      assertThat(out.get(3).ocr().orElseThrow().text()).isEqualTo("Invoice total 42");
      for (int shape : new int[] {0, 2, 4}) {
        assertThat(out.get(shape).ocr().orElseThrow().skipped()).isTrue();
        assertThat(out.get(shape).ocr().orElseThrow().text()).isEmpty();
        assertThat(out.get(shape).ocr().orElseThrow().engine()).startsWith("tesseract");
      }
    }
  }

  @Test
  void withoutTheCheckEveryImageIsReadAndWithoutOcrNoneIs() {
    List<BufferedImage> images =
        List.of(TestImages.shape(Color.RED, "square", 224), TestImages.text("HELLO 7", 600, 120));
    DecodingOptions greedy = DecodingOptions.greedy(20, captioner.defaults().stopTokens());
    try (CaptionEnrichment enrichment = new CaptionEnrichment(Optional.empty(), 16, 1)) {
      List<CaptionEnrichment.Enriched> read =
          enrichment.enrich(captioner, Optional.of(ocr), images, greedy);
      assertThat(read).allSatisfy(e -> assertThat(e.ocr().orElseThrow().skipped()).isFalse());
      assertThat(read.get(1).ocr().orElseThrow().text()).isEqualTo("HELLO 7");
      List<CaptionEnrichment.Enriched> captionOnly =
          enrichment.enrich(captioner, Optional.empty(), images, greedy);
      assertThat(captionOnly).allSatisfy(e -> assertThat(e.ocr()).isEmpty());
      assertThat(captionOnly.get(0).caption().text()).isEqualTo("a red square");
    }
  }
}
