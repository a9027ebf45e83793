package multimodal.generator.inference.vqa;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * One piece of a question, in the order the model reads it: text, or an image (Flamingo-style
 * interleaving: several images, examples before the query).
 */
public sealed interface QuestionPart {
  /** Text as the model reads it. */
  record Text(String text) implements QuestionPart {}

  /** An image, decoded. */
  record Image(BufferedImage image) implements QuestionPart {}

  static QuestionPart text(String text) {
    return new Text(text);
  }

  static QuestionPart image(BufferedImage image) {
    return new Image(image);
  }

  /** The images of {@code parts}, in order. */
  static List<BufferedImage> images(List<QuestionPart> parts) {
    return parts.stream()
        .filter(Image.class::isInstance)
        .map(part -> ((Image) part).image())
        .toList();
  }
}
