package multimodal.generator.diffusion;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import multimodal.generator.ModelNotReadyException;
import multimodal.generator.config.GeneratorConfig;
import multimodal.generator.inference.diffusion.DiffusionPipeline;
import multimodal.generator.inference.onnx.ExecutionProvider;

/**
 * The diffusion export of {@code generator.diffusion.dir}, loaded in the background at startup
 * apart from the captioning and vision models (a UNet takes a while and nothing else waits for it).
 * Unset: the service runs without it and Generate answers FAILED_PRECONDITION. A configured export
 * that cannot be loaded leaves Generate UNAVAILABLE with the reason in the log; the rest of the
 * service goes on.
 */
@Singleton
public class DiffusionModel {
  private final GeneratorConfig config;
  private final CompletableFuture<DiffusionPipeline> loaded = new CompletableFuture<>();
  private OrtSession.SessionOptions options;

  public DiffusionModel(GeneratorConfig config) {
    this.config = config;
  }

  void onStart(@Observes StartupEvent event) {
    Optional<Path> dir = config.diffusion().dir();
    if (dir.isEmpty()) {
      Log.info(
          "text to image is off (generator.diffusion.dir is unset): Generate answers"
              + " FAILED_PRECONDITION");
      return;
    }
    Thread thread = new Thread(() -> load(dir.get()), "diffusion-loader");
    thread.setDaemon(true);
    thread.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    loaded.thenAccept(DiffusionPipeline::close);
    if (loaded.isDone() && options != null) {
      options.close();
    }
  }

  private void load(Path dir) {
    try {
      options = new OrtSession.SessionOptions();
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setIntraOpNumThreads(config.ort().intraOpThreadsToUse());
      new ExecutionProvider(config.ort().executionProvider(), config.ort().cudaDevice())
          .applyTo(options);
      long start = System.nanoTime();
      DiffusionPipeline pipeline =
          DiffusionPipeline.load(
              dir,
              OrtEnvironment.getEnvironment(),
              options,
              config.diffusion().scheduler().orElse(null));
      Log.infof(
          "diffusion model %s (%s, scheduler %s%s) loaded from %s in %d ms",
          pipeline.version(),
          pipeline.fixture() ? "demo fixture" : "real export",
          pipeline.schedulerName(),
          config.diffusion().scheduler().isPresent() ? ", generator.diffusion.scheduler" : "",
          dir,
          (System.nanoTime() - start) / 1_000_000);
      loaded.complete(pipeline);
    } catch (Exception | LinkageError e) {
      Log.errorf(e, "diffusion model %s failed to load: Generate answers UNAVAILABLE", dir);
      loaded.completeExceptionally(e);
    }
  }

  /** True when a diffusion model is configured (loaded, loading or failed). */
  public boolean configured() {
    return config.diffusion().dir().isPresent();
  }

  /**
   * The loaded pipeline.
   *
   * @throws DiffusionOffException when none is configured
   * @throws ModelNotReadyException while it loads, or when it failed to
   */
  public DiffusionPipeline get() {
    if (!configured()) {
      throw new DiffusionOffException(
          "no diffusion model is configured (generator.diffusion.dir): this generator does not do"
              + " text to image");
    }
    if (!loaded.isDone()) {
      throw new ModelNotReadyException("the diffusion model is still loading");
    }
    if (loaded.isCompletedExceptionally()) {
      throw new ModelNotReadyException("the diffusion model failed to load (see the log)");
    }
    return loaded.join();
  }
}
