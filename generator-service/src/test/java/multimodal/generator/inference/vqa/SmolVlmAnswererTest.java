package multimodal.generator.inference.vqa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import multimodal.generator.InvalidInputException;
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

class SmolVlmAnswererTest {
  private static SmolVlmAnswerer model;

  @BeforeAll
  static void load() throws Exception {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      model =
          SmolVlmAnswerer.load(
              new ModelFiles(TestModels.vqaFixture()), OrtEnvironment.getEnvironment(), options);
    }
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static String ask(BufferedImage image, String question) {
    return model
        .ask(
            image,
            question,
            model.defaults(),
            GenerationControl.unlimited(),
            GenerationEngine.TokenListener.NONE)
        .text();
  }

  @Test
  void answersWhatColourThroughChatTemplateImageMergeAndKvCache() {
    assertThat(ask(TestImages.shape(Color.RED, "circle", 400), "What colour is it?"))
        .isEqualTo("red");
    assertThat(ask(TestImages.shape(Color.BLUE, "square", 300), "what color is the thing?"))
        .isEqualTo("blue");
    assertThat(ask(TestImages.shape(Color.YELLOW, "square", 512), "Which colour?"))
        .isEqualTo("yellow");
  }

  @Test
  void answersWhatShape() {
    assertThat(ask(TestImages.shape(Color.GREEN, "circle", 512), "What shape is this?"))
        .isEqualTo("circle");
    assertThat(ask(TestImages.shape(Color.BLACK, "square", 640), "what shape is in the picture?"))
        .isEqualTo("square");
  }

  @Test
  void streamsTheAnswerTokenThenStopsOnEndOfUtterance() {
    List<Long> streamed = new ArrayList<>();
    Generated answer =
        model.ask(
            TestImages.shape(Color.GREEN, "square", 512),
            "what colour?",
            model.defaults(),
            GenerationControl.unlimited(),
            (input, token) -> streamed.add(token));
    assertThat(answer.text()).isEqualTo("green");
    assertThat(answer.tokens()).isEqualTo(1);
    assertThat(model.decode(streamed.stream().mapToLong(Long::longValue).toArray()))
        .isEqualTo("green");
  }

  @Test
  void beamSearchGivesTheSameAnswer() {
    DecodingOptions beams =
        new DecodingOptions(8, 2, 1.0f, 0, 1.0f, model.defaults().stopTokens(), true);
    assertThat(
            model
                .ask(
                    TestImages.shape(Color.RED, "square", 512),
                    "what shape?",
                    beams,
                    GenerationControl.unlimited(),
                    GenerationEngine.TokenListener.NONE)
                .text())
        .isEqualTo("square");
  }

  @Test
  void emptyQuestionIsInvalid() {
    assertThatThrownBy(() -> ask(TestImages.shape(Color.RED, "square", 64), "  "))
        .isInstanceOf(InvalidInputException.class);
  }

  private static String ask(QuestionPart... parts) {
    return model
        .ask(
            List.of(parts),
            model.defaults(),
            GenerationControl.unlimited(),
            GenerationEngine.TokenListener.NONE)
        .text();
  }

  private static QuestionPart image(Color colour, String shape) {
    return QuestionPart.image(TestImages.shape(colour, shape, 256));
  }

  @Test
  void answersWhichOfTwoImagesShowsTheNamedColourInBothOrders() {
    QuestionPart question = QuestionPart.text("Which image is red, the first or the second?");
    assertThat(ask(image(Color.RED, "circle"), image(Color.BLUE, "square"), question))
        .isEqualTo("first");
    assertThat(ask(image(Color.BLUE, "square"), image(Color.RED, "circle"), question))
        .isEqualTo("second");
    QuestionPart blue = QuestionPart.text("which one is blue, first or second?");
    assertThat(ask(image(Color.RED, "circle"), image(Color.BLUE, "square"), blue))
        .isEqualTo("second");
    // The text may come first: the images are still numbered in the order they stand.
    assertThat(
            ask(
                QuestionPart.text("Two pictures."),
                image(Color.GREEN, "square"),
                image(Color.YELLOW, "circle"),
                QuestionPart.text("Which is green, the first or the second?")))
        .isEqualTo("first");
  }

  @Test
  void fewShotExamplesThenAQueryAnswersAboutTheQueryImage() {
    assertThat(
            ask(
                image(Color.RED, "square"),
                QuestionPart.text("The colour is red."),
                image(Color.BLUE, "circle"),
                QuestionPart.text("The colour is blue."),
                image(Color.GREEN, "circle"),
                QuestionPart.text("What colour is this?")))
        .isEqualTo("green");
    assertThat(
            ask(
                image(Color.BLACK, "circle"),
                QuestionPart.text("circle."),
                image(Color.YELLOW, "square"),
                QuestionPart.text("What shape?")))
        .isEqualTo("square");
  }

  @Test
  void aQuestionWithoutAnImageOrTextIsInvalid() {
    assertThatThrownBy(() -> ask(QuestionPart.text("what colour?")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("at least one image");
    assertThatThrownBy(() -> ask(image(Color.RED, "square"), QuestionPart.text(" ")))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void imageTokensFollowTheIdefics3Expansion() {
    assertThat(SmolVlmImageProcessor.imageTokens(0, 0, 2))
        .isEqualTo("<fake_token_around_image><global-img><image><image><fake_token_around_image>");
    assertThat(SmolVlmImageProcessor.imageTokens(1, 2, 1))
        .isEqualTo(
            "<fake_token_around_image><row_1_col_1><image><fake_token_around_image><row_1_col_2><image>\n"
                + "\n"
                + "<fake_token_around_image><global-img><image><fake_token_around_image>");
  }
}
