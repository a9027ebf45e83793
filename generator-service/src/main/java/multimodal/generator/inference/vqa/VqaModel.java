package multimodal.generator.inference.vqa;

import java.awt.image.BufferedImage;
import java.util.List;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.generation.Generated;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.GenerationEngine;

/**
 * A model that answers free-form questions about one image, or about several images interleaved
 * with text (SmolVLM). Thread-safe.
 */
public interface VqaModel extends AutoCloseable {
  String layout();

  String version();

  DecodingOptions defaults();

  /**
   * Answers an interleaved question: {@code parts} in the order the model reads them, at least one
   * image and one non-blank text; tokens go to {@code listener} as generated.
   */
  Generated ask(
      List<QuestionPart> parts,
      DecodingOptions options,
      GenerationControl control,
      GenerationEngine.TokenListener listener);

  /** Answers {@code question} about {@code image}: the image, then the question. */
  default Generated ask(
      BufferedImage image,
      String question,
      DecodingOptions options,
      GenerationControl control,
      GenerationEngine.TokenListener listener) {
    return ask(
        List.of(QuestionPart.image(image), QuestionPart.text(question == null ? "" : question)),
        options,
        control,
        listener);
  }

  String decode(long[] ids);

  @Override
  void close();
}
