package multimodal.generator.inference.vqa;

import java.util.List;

/**
 * The SmolVLM chat template (docs/models.md §5.2) for one user turn of interleaved text and images,
 * then the generation prompt: {@code <|im_start|>User:} (a space follows the colon when the turn
 * opens with text), each part in order (an image as its expanded image tokens), {@code
 * <end_of_utterance>\nAssistant:}.
 */
final class SmolVlmChatTemplate {
  private SmolVlmChatTemplate() {}

  /**
   * @param parts the turn, in order
   * @param imageTokens the expanded token text of each image part, in the same order
   */
  static String render(List<QuestionPart> parts, List<String> imageTokens) {
    StringBuilder prompt = new StringBuilder("<|im_start|>User:");
    if (!parts.isEmpty() && parts.get(0) instanceof QuestionPart.Text) {
      prompt.append(' ');
    }
    int image = 0;
    boolean afterText = false;
    for (QuestionPart part : parts) {
      if (part instanceof QuestionPart.Text text) {
        // Texts are stripped (as the single-question form always was); two in a row read as one,
        // a space apart.
        if (afterText) {
          prompt.append(' ');
        }
        prompt.append(text.text().strip());
        afterText = true;
      } else {
        prompt.append(imageTokens.get(image++));
        afterText = false;
      }
    }
    if (image != imageTokens.size()) {
      throw new IllegalArgumentException(
          imageTokens.size() + " image token texts for " + image + " images");
    }
    return prompt.append("<end_of_utterance>\nAssistant:").toString();
  }
}
