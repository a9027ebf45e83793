package multimodal.generator.inference.vqa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmolVlmChatTemplateTest {
  private static final QuestionPart IMAGE =
      QuestionPart.image(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));

  @Test
  void oneImageThenAQuestionIsTheSingleImageForm() {
    assertThat(
            SmolVlmChatTemplate.render(
                List.of(IMAGE, QuestionPart.text("  What colour is it? ")), List.of("<I1>")))
        .isEqualTo("<|im_start|>User:<I1>What colour is it?<end_of_utterance>\nAssistant:");
  }

  @Test
  void eachImageStandsWhereItsPartStands() {
    assertThat(
            SmolVlmChatTemplate.render(
                List.of(
                    IMAGE,
                    QuestionPart.text("This is red."),
                    IMAGE,
                    QuestionPart.text("This is blue."),
                    IMAGE,
                    QuestionPart.text("What colour is this?")),
                List.of("<I1>", "<I2>", "<I3>")))
        .isEqualTo(
            "<|im_start|>User:<I1>This is red.<I2>This is blue.<I3>What colour is this?"
                + "<end_of_utterance>\nAssistant:");
    assertThat(
            SmolVlmChatTemplate.render(
                List.of(IMAGE, IMAGE, QuestionPart.text("which is red, the first or the second?")),
                List.of("<I1>", "<I2>")))
        .isEqualTo(
            "<|im_start|>User:<I1><I2>which is red, the first or the second?"
                + "<end_of_utterance>\nAssistant:");
  }

  @Test
  void aTurnOpeningWithTextHasASpaceAfterTheRoleAndTextsInARowAreSpaced() {
    assertThat(
            SmolVlmChatTemplate.render(
                List.of(
                    QuestionPart.text("Look:"),
                    IMAGE,
                    QuestionPart.text("Is it red?"),
                    QuestionPart.text("Answer in one word.")),
                List.of("<I1>")))
        .isEqualTo(
            "<|im_start|>User: Look:<I1>Is it red? Answer in one word."
                + "<end_of_utterance>\nAssistant:");
  }

  @Test
  void imageTextsMustMatchTheImages() {
    assertThatThrownBy(
            () ->
                SmolVlmChatTemplate.render(
                    List.of(IMAGE, IMAGE, QuestionPart.text("?")), List.of("<I1>", "<I2>", "<I3>")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
