package multimodal.encoder;

import ai.onnxruntime.OrtException;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import multimodal.encoder.batching.DeadlineExpiredException;
import multimodal.encoder.batching.DynamicBatcher;
import multimodal.encoder.batching.PreprocessingGate;
import multimodal.encoder.config.EncoderConfig;
import multimodal.encoder.inference.EmbeddingModel;
import multimodal.encoder.inference.TokenizedText;
import multimodal.media.RgbImage;

/**
 * The one path to the models for gRPC and Kafka alike: texts and preprocessed images go through a
 * {@link DynamicBatcher} per model and tower, so concurrent requests and records share session
 * runs. Callers block (worker threads only) until their items ran or their deadline passed.
 */
@Singleton
public class Embedder {
  private final ServedModels models;
  private final EncoderMetrics metrics;
  private final EncoderConfig.Batching config;
  private final PreprocessingGate preprocessing;
  private final Map<String, DynamicBatcher<String, float[]>> textBatchers =
      new ConcurrentHashMap<>();
  private final Map<String, DynamicBatcher<float[], float[]>> imageBatchers =
      new ConcurrentHashMap<>();

  public Embedder(ServedModels models, EncoderMetrics metrics, EncoderConfig config) {
    this.models = models;
    this.metrics = metrics;
    this.config = config.batching();
    this.preprocessing = new PreprocessingGate(config.images().preprocessConcurrency());
  }

  /** The named model (default when blank); NOT_FOUND / UNAVAILABLE exceptions otherwise. */
  public EmbeddingModel model(String name) {
    return models.registry().resolve(name);
  }

  /** The named model, waiting while models load (Kafka path). */
  public EmbeddingModel awaitModel(String name) {
    return models.awaitRegistry().resolve(name);
  }

  public List<TokenizedText> tokenize(EmbeddingModel model, List<String> texts) {
    return model.tokenize(texts);
  }

  /**
   * @param deadlineNanos {@link System#nanoTime()} by which the caller needs the answer, or {@code
   *     Long.MAX_VALUE}
   * @throws InvalidInputException naming the first empty text ({@code texts[i]})
   */
  public List<Embedding> embedTexts(EmbeddingModel model, List<String> texts, long deadlineNanos) {
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null || texts.get(i).isBlank()) {
        throw new InvalidInputException("texts[" + i + "]", "text must not be empty");
      }
    }
    DynamicBatcher<String, float[]> batcher =
        textBatchers.computeIfAbsent(
            model.name(), n -> batcher(model, "text", DynamicBatcher.Fill.NONE, model::embedTexts));
    return await(model, batcher.submit(texts, deadlineNanos), deadlineNanos);
  }

  /**
   * Decodes and preprocesses one image ({@link EmbeddingModel#preprocess}) once one of the few
   * preprocessing permits is free ({@link PreprocessingGate}).
   *
   * @param deadlineNanos {@link System#nanoTime()} by which the caller needs the answer, or {@code
   *     Long.MAX_VALUE}
   */
  public float[] preprocess(
      EmbeddingModel model, byte[] encoded, String field, long deadlineNanos) {
    return preprocessing.run(() -> model.preprocess(encoded, field), deadlineNanos);
  }

  /** Preprocesses one decoded video keyframe, through the same gate as encoded images. */
  public float[] preprocessFrame(
      EmbeddingModel model, RgbImage frame, String field, long deadlineNanos) {
    return preprocessing.run(() -> model.preprocessFrame(frame, field), deadlineNanos);
  }

  /** Embeds preprocessed images (from {@link EmbeddingModel#preprocess}). */
  public List<Embedding> embedPixels(
      EmbeddingModel model, List<float[]> pixels, long deadlineNanos) {
    if (!model.embedsImages()) {
      throw new InvalidInputException(
          "model", "model " + model.name() + " embeds texts only, not images");
    }
    DynamicBatcher<float[], float[]> batcher =
        imageBatchers.computeIfAbsent(
            model.name(),
            n ->
                batcher(
                    model,
                    "image",
                    new DynamicBatcher.Fill(config.fillWait(), preprocessing::inProgress),
                    model::embedPixels));
    return await(model, batcher.submit(pixels, deadlineNanos), deadlineNanos);
  }

  private interface Run<I> {
    float[][] run(List<I> inputs) throws OrtException;
  }

  private <I> DynamicBatcher<I, float[]> batcher(
      EmbeddingModel model, String modality, DynamicBatcher.Fill fill, Run<I> run) {
    return new DynamicBatcher<>(
        model.name() + "-" + modality,
        config.maxBatchSize(),
        config.maxDelay(),
        fill,
        config.queueCapacity(),
        config.workers(),
        inputs -> Arrays.asList(run.run(inputs)),
        metrics.batchListener(model.name(), modality));
  }

  private static List<Embedding> await(
      EmbeddingModel model, List<CompletableFuture<float[]>> futures, long deadlineNanos) {
    List<Embedding> out = new ArrayList<>(futures.size());
    try {
      for (CompletableFuture<float[]> future : futures) {
        float[] vector =
            deadlineNanos == Long.MAX_VALUE
                ? future.get()
                : future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        out.add(new Embedding(model.name(), model.version(), vector));
      }
      return out;
    } catch (TimeoutException e) {
      futures.forEach(f -> f.cancel(false)); // the worker skips cancelled items
      throw new DeadlineExpiredException("deadline passed while waiting for the model");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      futures.forEach(f -> f.cancel(false));
      throw new CancellationException("interrupted");
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(false));
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new InferenceFailedException(cause);
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    textBatchers.values().forEach(DynamicBatcher::close);
    imageBatchers.values().forEach(DynamicBatcher::close);
  }
}
