package multimodal.generator.inference.caption;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.Color;
import java.util.List;
import multimodal.generator.TestImages;
import multimodal.generator.TestModels;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.generation.Generated;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.GenerationEngine;
import multimodal.generator.inference.onnx.ModelFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Florence2CaptionerTest {
  private static Florence2Captioner model;

  @BeforeAll
  static void load() throws Exception {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      model =
          Florence2Captioner.load(
              new ModelFiles(TestModels.florence2Fixture()),
              OrtEnvironment.getEnvironment(),
              options);
    }
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static List<String> caption(
      CaptionTaskKind task, DecodingOptions options, java.awt.image.BufferedImage... images) {
    return model
        .caption(
            List.of(images),
            task,
            options,
            GenerationControl.unlimited(),
            GenerationEngine.TokenListener.NONE)
        .stream()
        .map(Generated::text)
        .toList();
  }

  @Test
  void captionsABatchThroughFourGraphsWithCrossAttentionCache() {
    assertThat(
            caption(
                CaptionTaskKind.CAPTION,
                model.defaults(),
                TestImages.shape(Color.RED, "square", 768),
                TestImages.shape(Color.BLUE, "circle", 500)))
        .containsExactly("a red square", "a blue circle");
  }

  @Test
  void everyTaskHasItsPromptAndBeamsAndNoCacheAgree() {
    assertThat(model.tasks()).containsExactlyInAnyOrder(CaptionTaskKind.values());
    assertThat(Florence2Captioner.PROMPTS.get(CaptionTaskKind.OCR))
        .isEqualTo("What is the text in the image?");
    assertThat(
            caption(
                CaptionTaskKind.MORE_DETAILED_CAPTION,
                model.defaults().withCache(false),
                TestImages.shape(Color.YELLOW, "circle", 768)))
        .containsExactly("a yellow circle");
    DecodingOptions beams =
        new DecodingOptions(10, 3, 1f, 3, 1f, model.defaults().stopTokens(), true);
    assertThat(
            caption(
                CaptionTaskKind.DETAILED_CAPTION,
                beams,
                TestImages.shape(Color.BLACK, "square", 768),
                TestImages.shape(Color.GREEN, "circle", 768)))
        .containsExactly("a black square", "a green circle");
  }
}
