package multimodal.generator.inference.caption;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import multimodal.generator.inference.generation.DecoderState;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.generation.Generated;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.GenerationEngine;
import multimodal.generator.inference.text.TextTokenizer;
import multimodal.media.preprocess.FixedSizePreprocessor;

/**
 * What every captioning family does around its own encoder and decoder: preprocess the batch to
 * {@code pixel_values [n, 3, h, w]}, time it, let the family encode and generate ({@link
 * #generate}, which ends in {@link GenerationEngine}, the one decoding loop of all families), and
 * turn each image's tokens into its text with its share of the cost.
 */
abstract class BatchCaptioner implements CaptionModel {
  protected final OrtEnvironment env;
  protected final TextTokenizer tokenizer;
  protected final FixedSizePreprocessor preprocessor;
  private final Set<Long> stops;
  private final int defaultMaxTokens;
  private final String version;

  BatchCaptioner(
      OrtEnvironment env,
      TextTokenizer tokenizer,
      FixedSizePreprocessor preprocessor,
      Set<Long> stops,
      int defaultMaxTokens,
      String version) {
    this.env = env;
    this.tokenizer = tokenizer;
    this.preprocessor = preprocessor;
    this.stops = stops;
    this.defaultMaxTokens = defaultMaxTokens;
    this.version = version;
  }

  @Override
  public final String version() {
    return version;
  }

  @Override
  public final DecodingOptions defaults() {
    return DecodingOptions.greedy(defaultMaxTokens, stops);
  }

  @Override
  public final String decode(long[] ids) {
    return tokenizer.decode(ids);
  }

  @Override
  public final List<Generated> caption(
      List<BufferedImage> images,
      CaptionTaskKind task,
      DecodingOptions options,
      GenerationControl control,
      GenerationEngine.TokenListener listener) {
    if (images.isEmpty()) {
      return List.of();
    }
    long start = System.nanoTime();
    int n = images.size();
    FloatBuffer pixels = PixelBatch.of(preprocessor, images);
    long preprocessed = System.nanoTime();
    control.check();

    List<List<Long>> tokens;
    try (OnnxTensor pixelValues =
        OnnxTensor.createTensor(
            env, pixels, new long[] {n, 3, preprocessor.height(), preprocessor.width()})) {
      tokens = generate(pixelValues, new Batch(n, task, options, control, listener));
    } catch (OrtException e) {
      throw control.failure(e);
    }
    long done = System.nanoTime();
    List<Generated> out = new ArrayList<>(n);
    for (List<Long> sequence : tokens) {
      out.add(Generated.of(sequence, this::text, start, preprocessed, done, n));
    }
    return out;
  }

  /** One batch as a family's {@link #generate} receives it. */
  protected record Batch(
      int images,
      CaptionTaskKind task,
      DecodingOptions options,
      GenerationControl control,
      GenerationEngine.TokenListener listener) {
    /** Every image's tokens from {@code state}, each sequence starting with {@code prompt}. */
    List<List<Long>> generate(DecoderState state, long[] prompt) {
      return GenerationEngine.generate(
          state, Collections.nCopies(images, prompt), options, control, listener);
    }
  }

  /**
   * Encodes the batch and generates every image's tokens ({@link Batch#generate}).
   *
   * @param pixelValues {@code [n, 3, h, w]}, closed by the caller
   */
  protected abstract List<List<Long>> generate(OnnxTensor pixelValues, Batch batch)
      throws OrtException;

  /** The caption of one image's generated ids. */
  protected abstract String text(long[] ids);
}
