package multimodal.generator.inference.caption;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Set;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.generation.Generated;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.GenerationEngine;

/** A model that describes images (ViT-GPT2, Florence-2). Thread-safe; sessions are shared. */
public interface CaptionModel extends AutoCloseable {
  String layout();

  String version();

  /** Tasks it can do; others are refused rather than silently answered with a plain caption. */
  Set<CaptionTaskKind> tasks();

  /** Stop tokens and defaults for decoding, with the given length and search overrides. */
  DecodingOptions defaults();

  /**
   * Describes every image, in order, in one batch.
   *
   * @param listener receives tokens per image index as they are generated
   */
  List<Generated> caption(
      List<BufferedImage> images,
      CaptionTaskKind task,
      DecodingOptions options,
      GenerationControl control,
      GenerationEngine.TokenListener listener);

  /** Decodes token ids to text (for streaming partial answers). */
  String decode(long[] ids);

  @Override
  void close();
}
