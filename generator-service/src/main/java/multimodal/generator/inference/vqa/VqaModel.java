package multimodal.generator.inference.vqa;

import java.awt.image.BufferedImage;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.generation.Generated;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.GenerationEngine;

/** A model that answers free-form questions about one image (SmolVLM). Thread-safe. */
public interface VqaModel extends AutoCloseable {
  String layout();

  String version();

  DecodingOptions defaults();

  /** Answers {@code question} about {@code image}; tokens go to {@code listener} as generated. */
  Generated ask(
      BufferedImage image,
      String question,
      DecodingOptions options,
      GenerationControl control,
      GenerationEngine.TokenListener listener);

  String decode(long[] ids);

  @Override
  void close();
}
