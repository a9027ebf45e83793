package multimodal.generator.diffusion;

import ai.onnxruntime.OrtException;
import jakarta.inject.Singleton;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import multimodal.generator.InvalidInputException;
import multimodal.generator.config.GeneratorConfig;
import multimodal.generator.inference.diffusion.DiffusionPipeline;
import multimodal.generator.inference.diffusion.DiffusionRequest;
import multimodal.generator.inference.diffusion.GeneratedImage;
import multimodal.generator.inference.diffusion.Schedulers;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.vision.RgbPixels;
import multimodal.generator.inference.vision.SafetyClassifier;
import multimodal.generator.inference.vision.SafetyScores;
import multimodal.generator.vision.VisionModels;
import multimodal.v1.GenerateProgress;
import multimodal.v1.GenerateRequest;
import multimodal.v1.GenerateResult;
import multimodal.v1.InvalidFieldException;
import multimodal.v1.ModelRef;
import multimodal.v1.Timings;
import multimodal.v1.WithheldImage;
import multimodal.v1.rpc.GenerateBounds;

/**
 * One Generate call: the request's bounds and defaults ({@code generator.diffusion.*}), the seed
 * (chosen when the caller gave none), the diffusion pipeline, and the safety classifier over the
 * candidates where one is configured (unsafe ones withheld with the reason). CLIP re-ranking is the
 * gateway's (see the README). Blocks the calling worker thread.
 */
@Singleton
public class TextToImage {
  /**
   * Chosen seeds stay below 2^53, so a JSON client (the web UI's JavaScript numbers) can send one
   * back unchanged.
   */
  private static final long MAX_CHOSEN_SEED = 1L << 53;

  private final DiffusionModel model;
  private final VisionModels vision;
  private final GeneratorConfig.Diffusion settings;

  public TextToImage(DiffusionModel model, VisionModels vision, GeneratorConfig config) {
    this.model = model;
    this.vision = vision;
    this.settings = config.diffusion();
  }

  /** Refuses bad input and an absent model before any work (and before a slot is taken). */
  public void check(GenerateRequest request) {
    try {
      GenerateBounds.check(request);
    } catch (InvalidFieldException e) {
      throw new InvalidInputException(e.field(), e.description());
    }
    if (!request.getScheduler().isEmpty()
        && !Schedulers.SUPPORTED.contains(request.getScheduler())) {
      throw new InvalidInputException(
          "scheduler",
          "unknown scheduler " + request.getScheduler() + "; use one of " + Schedulers.SUPPORTED);
    }
    model.get();
  }

  /**
   * Generates the request's candidates, telling {@code progress} after each step.
   *
   * @throws multimodal.generator.inference.generation.GenerationStoppedException when the call is
   *     cancelled or its deadline passes
   */
  public GenerateResult generate(
      GenerateRequest request, GenerationControl control, Consumer<GenerateProgress> progress) {
    check(request);
    long start = System.nanoTime();
    DiffusionPipeline pipeline = model.get();
    Optional<SafetyClassifier> safety = safetyClassifier();
    DiffusionRequest diffusion = diffusionRequest(request);
    List<GeneratedImage> images;
    try {
      images =
          pipeline.generate(
              diffusion,
              request.getScheduler(),
              control,
              (step, steps) ->
                  progress.accept(
                      GenerateProgress.newBuilder()
                          .setStep(step)
                          .setSteps(steps)
                          .setCandidates(diffusion.candidates())
                          .build()));
    } catch (IllegalArgumentException e) { // the scheduler refuses these settings
      throw new InvalidInputException("steps", e.getMessage());
    } catch (OrtException e) {
      throw new IllegalStateException("diffusion inference failed: " + e.getMessage(), e);
    }
    long generated = System.nanoTime();
    List<Float> unsafe = unsafeScores(safety, images);
    GenerateResult.Builder result =
        GenerateResult.newBuilder()
            .setSeed(diffusion.seed())
            .setModel(
                ModelRef.newBuilder()
                    .setName(modelName())
                    .setVersion(pipeline.version())
                    .setFixture(pipeline.fixture()))
            .setScheduler(
                request.getScheduler().isEmpty()
                    ? pipeline.schedulerName()
                    : request.getScheduler())
            .setSteps(diffusion.steps());
    for (GeneratedImage image : images) {
      float score = unsafe.get(image.index());
      if (score >= settings.unsafeThreshold()) {
        result.addWithheld(
            WithheldImage.newBuilder()
                .setIndex(image.index())
                .setSeed(image.seed())
                .setUnsafeScore(score)
                .setReason(
                    "the safety classifier scored it unsafe (%.2f, threshold %.2f)"
                        .formatted(score, settings.unsafeThreshold())));
      } else {
        result.addImages(
            multimodal.v1.GeneratedImage.newBuilder()
                .setPng(com.google.protobuf.ByteString.copyFrom(image.png()))
                .setSeed(image.seed())
                .setIndex(image.index())
                .setWidth(image.width())
                .setHeight(image.height())
                .setUnsafeScore(score));
      }
    }
    long end = System.nanoTime();
    return result
        .setTimings(
            Timings.newBuilder()
                .setInferenceMicros((generated - start) / 1_000)
                .setPreprocessMicros((end - generated) / 1_000)
                .setTotalMicros((end - start) / 1_000))
        .build();
  }

  private DiffusionRequest diffusionRequest(GenerateRequest request) {
    long seed =
        request.hasSeed()
            ? request.getSeed()
            : ThreadLocalRandom.current().nextLong(MAX_CHOSEN_SEED);
    try {
      return new DiffusionRequest(
          request.getPrompt(),
          request.getNegativePrompt(),
          request.getWidth() == 0 ? settings.width() : request.getWidth(),
          request.getHeight() == 0 ? settings.height() : request.getHeight(),
          request.getSteps() == 0 ? settings.steps() : request.getSteps(),
          request.hasGuidanceScale() ? request.getGuidanceScale() : settings.guidanceScale(),
          seed,
          request.getCandidates() == 0 ? 1 : request.getCandidates(),
          settings.batchGuidance());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("request", e.getMessage());
    }
  }

  /**
   * The safety classifier when vision is on with one (vision loading or failed: refused, rather
   * than letting candidates through unchecked); none when vision is off or has no classifier.
   */
  private Optional<SafetyClassifier> safetyClassifier() {
    return vision.state() == VisionModels.State.OFF ? Optional.empty() : vision.get().safety();
  }

  /** Each image's unsafe probability, 0 for all without a classifier. */
  private static List<Float> unsafeScores(
      Optional<SafetyClassifier> safety, List<GeneratedImage> images) {
    List<Float> scores = new ArrayList<>(images.size());
    if (safety.isEmpty()) {
      images.forEach(image -> scores.add(0f));
      return scores;
    }
    List<RgbPixels> pixels = new ArrayList<>(images.size());
    for (GeneratedImage image : images) {
      pixels.add(RgbPixels.of(decode(image.png())));
    }
    try {
      for (SafetyScores s : safety.get().classify(pixels)) {
        scores.add(s.unsafe());
      }
    } catch (OrtException e) {
      throw new IllegalStateException("safety classification failed: " + e.getMessage(), e);
    }
    return scores;
  }

  private static BufferedImage decode(byte[] png) {
    try {
      return ImageIO.read(new ByteArrayInputStream(png));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The export's directory name (the model as the operator installed it). */
  private String modelName() {
    return settings.dir().map(Path::getFileName).map(Path::toString).orElse("diffusion");
  }
}
