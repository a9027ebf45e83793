package multimodal.generator.vision;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import multimodal.generator.ModelNotReadyException;
import multimodal.generator.config.GeneratorConfig;
import multimodal.generator.inference.onnx.ExecutionProvider;
import multimodal.generator.inference.vision.ObjectDetector;
import multimodal.generator.inference.vision.SafetyClassifier;
import multimodal.generator.inference.vision.VisionAnalyzer;
import multimodal.generator.inference.vision.VisionModelDir;

/**
 * Loads the vision models (detector, safety classifier) in the background at startup, apart from
 * the captioning models so neither waits for the other. The vision consumer's channel starts paused
 * and messaging resumes it once they are loaded ({@link #whenLoaded}); with vision off it stays
 * paused, so the generator-vision group's offsets stay where they are until vision is turned on. A
 * configured model that cannot be loaded stops the service, as a captioning model does.
 */
@Singleton
public class VisionModels {
  /** Where the vision models are. */
  public enum State {
    OFF,
    LOADING,
    READY,
    FAILED
  }

  private final GeneratorConfig.Vision config;
  private final ExecutionProvider executionProvider;
  private final CompletableFuture<VisionAnalyzer> loaded = new CompletableFuture<>();
  private volatile String offReason = "";

  public VisionModels(GeneratorConfig config) {
    this.config = config.vision();
    this.executionProvider =
        new ExecutionProvider(config.ort().executionProvider(), config.ort().cudaDevice());
  }

  void onStart(@Observes StartupEvent event) {
    Optional<Path> detector = config.detector().dir();
    Optional<Path> safety = config.safety().dir();
    if (!config.enabled() || (detector.isEmpty() && safety.isEmpty())) {
      offReason =
          config.enabled()
              ? "generator.vision.detector.dir and generator.vision.safety.dir are unset"
              : "generator.vision.enabled=false";
      Log.infof(
          "vision is off (%s): no object tags or safety scores, media.vision.v1 gets nothing,"
              + " Analyze answers FAILED_PRECONDITION",
          offReason);
      return;
    }
    Thread thread = new Thread(() -> load(detector, safety), "vision-loader");
    thread.setDaemon(true);
    thread.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    loaded.thenAccept(VisionAnalyzer::close);
  }

  private void load(Optional<Path> detectorDir, Optional<Path> safetyDir) {
    Optional<ObjectDetector> detector = Optional.empty();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setIntraOpNumThreads(Math.max(1, config.intraOpThreads()));
      options.setInterOpNumThreads(1);
      executionProvider.applyTo(options);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      long start = System.nanoTime();
      if (detectorDir.isPresent()) {
        List<Integer> smallInputs =
            config.detector().smallInputs().stream().filter(size -> size != 0).toList();
        detector =
            Optional.of(
                ObjectDetector.load(
                    VisionModelDir.open(detectorDir.get()), env, options, smallInputs));
        Log.infof(
            "vision detector input sizes %s (an image goes to the smallest its longer side fits"
                + " in; generator.vision.detector.small-inputs)",
            detector.get().inputSizes());
        describe(
            "detector",
            detector.get().name(),
            detector.get().version(),
            detector.get().fixture(),
            detector.get().batched(),
            detectorDir.get());
      }
      Optional<SafetyClassifier> safety = Optional.empty();
      if (safetyDir.isPresent()) {
        safety =
            Optional.of(SafetyClassifier.load(VisionModelDir.open(safetyDir.get()), env, options));
        describe(
            "safety classifier",
            safety.get().name(),
            safety.get().version(),
            safety.get().fixture(),
            safety.get().batched(),
            safetyDir.get());
      }
      Log.infof("vision models loaded in %d ms", (System.nanoTime() - start) / 1_000_000);
      loaded.complete(new VisionAnalyzer(detector, safety));
    } catch (OrtException | RuntimeException | LinkageError e) {
      detector.ifPresent(ObjectDetector::close);
      Log.errorf(e, "cannot load the vision models, stopping: %s", e.getMessage());
      loaded.completeExceptionally(e);
      Quarkus.asyncExit(1);
    }
  }

  private static void describe(
      String role, String name, String version, boolean fixture, boolean batched, Path dir) {
    Log.infof(
        "vision %s %s (%s) from %s, %s",
        role,
        name,
        version,
        dir.toAbsolutePath(),
        batched ? "dynamic batch" : "batch 1 (images run one by one)");
    if (fixture) {
      Log.warnf("vision %s %s is a generated DEMO FIXTURE, not trained weights", role, name);
    }
  }

  public State state() {
    if (!offReason.isEmpty()) {
      return State.OFF;
    }
    if (!loaded.isDone()) {
      return State.LOADING;
    }
    return loaded.isCompletedExceptionally() ? State.FAILED : State.READY;
  }

  /** Why vision is off; empty when it is not. */
  public String offReason() {
    return offReason;
  }

  /**
   * The loaded models; {@link VisionOffException} when off, {@link ModelNotReadyException} while
   * loading.
   */
  public VisionAnalyzer get() {
    return switch (state()) {
      case OFF ->
          throw new VisionOffException(
              "vision is off on this generator ("
                  + offReason
                  + "); set generator.vision.detector.dir and/or generator.vision.safety.dir");
      case LOADING -> throw new ModelNotReadyException("vision models are still loading");
      case FAILED -> throw new ModelNotReadyException("vision models failed to load");
      case READY -> loaded.join();
    };
  }

  /** Completes once the models are loaded; never with vision off, exceptionally on failure. */
  public CompletionStage<VisionAnalyzer> whenLoaded() {
    return loaded.minimalCompletionStage();
  }

  /** Waits for the models (blocking; worker threads only). Only called once they were loaded. */
  public VisionAnalyzer await() {
    return loaded.join();
  }
}
