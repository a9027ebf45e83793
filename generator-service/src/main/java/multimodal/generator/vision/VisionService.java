package multimodal.generator.vision;

import ai.onnxruntime.OrtException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import multimodal.generator.GenerationSlots;
import multimodal.generator.InputOrderPool;
import multimodal.generator.config.GeneratorConfig;
import multimodal.generator.inference.vision.DetectionSettings;
import multimodal.generator.inference.vision.VisionAnalyzer;
import multimodal.generator.inference.vision.VisionResult;

/**
 * Runs vision for the consumer and for Analyze on one small pool ({@code generator.vision.threads},
 * default 1, each run using {@code intra-op-threads} cores), so tags and safety scores take a
 * bounded share of the CPU whatever the ingest rate, and captioning and embedding keep the rest.
 * Images go to the models in chunks of {@code batch-size}. Counts images and times the models.
 */
@Singleton
public class VisionService {
  private final VisionModels models;
  private final DetectionSettings settings;
  private final int batchSize;
  private final InputOrderPool pool;

  /** Analyze calls in flight (running or waiting for the pool); one more is refused at once. */
  private final GenerationSlots calls;

  private final MeterRegistry registry;
  private final Timer detectTime;
  private final Timer safetyTime;

  public VisionService(VisionModels models, GeneratorConfig config, MeterRegistry registry) {
    GeneratorConfig.Vision vision = config.vision();
    this.models = models;
    this.settings =
        new DetectionSettings(
            vision.minScore(), vision.iouThreshold(), vision.maxObjects(), vision.classAwareNms());
    this.batchSize = Math.max(1, vision.batchSize());
    this.pool = new InputOrderPool(vision.threads(), "vision");
    this.calls =
        new GenerationSlots(
            vision.maxCalls(),
            0,
            vision.maxCalls()
                + " Analyze calls already wait for the vision models (generator.vision.max-calls);"
                + " retry later");
    this.registry = registry;
    this.detectTime =
        Timer.builder("generator.vision.detect")
            .description("object detection time per image")
            .register(registry);
    this.safetyTime =
        Timer.builder("generator.vision.safety")
            .description("safety classification time per image")
            .register(registry);
  }

  @PreDestroy
  void stop() {
    pool.close();
  }

  /** The service's tag settings (threshold, overlap, most objects). */
  public DetectionSettings settings() {
    return settings;
  }

  public VisionModels models() {
    return models;
  }

  /**
   * Analyses the images in order; {@code source} labels the count ({@code ingest} or {@code grpc}).
   * Blocks the calling worker thread.
   */
  public List<VisionResult> analyze(
      List<BufferedImage> images, DetectionSettings settings, String source) {
    VisionAnalyzer analyzer = models.get();
    List<List<BufferedImage>> chunks = new ArrayList<>();
    for (int from = 0; from < images.size(); from += batchSize) {
      chunks.add(images.subList(from, Math.min(images.size(), from + batchSize)));
    }
    List<VisionResult> results = new ArrayList<>(images.size());
    for (InputOrderPool.Outcome<List<VisionResult>> outcome :
        pool.map(chunks, chunk -> run(analyzer, chunk, settings))) {
      if (outcome.failure() != null) {
        throw outcome.failure();
      }
      results.addAll(outcome.result());
    }
    Counter.builder("generator.vision.images")
        .description("images analysed by the vision models")
        .tag("source", source)
        .register(registry)
        .increment(images.size());
    return results;
  }

  /**
   * Analyses a caller's images (gRPC Analyze), refusing at once when too many calls wait already.
   */
  public List<VisionResult> analyzeForCaller(
      List<BufferedImage> images, DetectionSettings settings) {
    return calls.run(() -> analyze(images, settings, "grpc"));
  }

  private List<VisionResult> run(
      VisionAnalyzer analyzer, List<BufferedImage> chunk, DetectionSettings settings) {
    try {
      List<VisionResult> results = analyzer.analyze(chunk, settings);
      for (VisionResult result : results) {
        if (analyzer.detector().isPresent()) {
          detectTime.record(result.detectMicros(), TimeUnit.MICROSECONDS);
        }
        if (analyzer.safety().isPresent()) {
          safetyTime.record(result.safetyMicros(), TimeUnit.MICROSECONDS);
        }
      }
      return results;
    } catch (OrtException e) {
      throw new IllegalStateException("vision inference failed: " + e.getMessage(), e);
    }
  }
}
