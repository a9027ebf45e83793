package multimodal.encoder;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import multimodal.encoder.config.EncoderConfig;
import multimodal.encoder.inference.EmbeddingModel;
import multimodal.encoder.inference.ModelLoader;
import multimodal.encoder.inference.ModelRegistry;
import multimodal.encoder.inference.Precision;
import multimodal.encoder.inference.PreprocessingWarmUp;

/**
 * Loads the configured models in the background at startup (readiness stays DOWN until every one is
 * loaded and warmed up) and hands them out. A model that cannot be loaded stops the service:
 * serving without it would only produce dead letters.
 */
@Singleton
public class ServedModels {
  private final EncoderConfig config;
  private final ModelLoader loader;
  private final CompletableFuture<ModelRegistry> registry = new CompletableFuture<>();

  public ServedModels(EncoderConfig config, ModelLoader loader) {
    this.config = config;
    this.loader = loader;
  }

  void onStart(@Observes StartupEvent event) {
    Thread thread = new Thread(this::load, "model-loader");
    thread.setDaemon(true);
    thread.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    registry.thenAccept(
        loaded -> {
          try {
            loaded.close();
          } catch (Exception e) {
            Log.warnf("closing the models failed: %s", e.getMessage());
          }
        });
  }

  private void load() {
    Map<String, EmbeddingModel> models = new LinkedHashMap<>();
    try {
      config
          .models()
          .forEach(
              (name, model) -> {
                if (model.optional() && !java.nio.file.Files.isDirectory(model.dir())) {
                  Log.warnf(
                      "optional model %s skipped: %s does not exist",
                      name, model.dir().toAbsolutePath());
                  return;
                }
                long start = System.nanoTime();
                Precision precision = Precision.parse(model.precision());
                EmbeddingModel loaded = loader.load(name, model.dir(), model.version(), precision);
                models.put(name, loaded);
                warmUpPreprocessing(loaded);
                Log.infof(
                    "loaded model %s version %s (dim %d, %s) from %s in %d ms",
                    name,
                    loaded.version(),
                    loaded.dimension(),
                    precision,
                    model.dir().toAbsolutePath(),
                    (System.nanoTime() - start) / 1_000_000);
                if (loaded.fixture()) {
                  Log.warnf(
                      "model %s is a generated DEMO FIXTURE, not trained weights: %s",
                      name, loaded.description());
                } else {
                  Log.infof("model %s: %s", name, loaded);
                }
              });
      registry.complete(new ModelRegistry(config.defaultModel(), models));
    } catch (RuntimeException | LinkageError e) {
      Log.errorf(e, "cannot load the models, stopping: %s", e.getMessage());
      registry.completeExceptionally(e);
      models.values().forEach(ServedModels::closeQuietly);
      Quarkus.asyncExit(1);
    }
  }

  private void warmUpPreprocessing(EmbeddingModel model) {
    try {
      new PreprocessingWarmUp(config.images().warmUpRounds(), config.batching().maxBatchSize())
          .run(model);
    } catch (Exception e) {
      // Only the first requests' speed is at stake: serve, and say why they may be slow.
      Log.warnf(e, "model %s: the preprocessing warm-up failed: %s", model.name(), e.getMessage());
    }
  }

  /** The models, or {@link ModelNotReadyException} while they are loading. */
  public ModelRegistry registry() {
    ModelRegistry loaded = registry.getNow(null);
    if (loaded == null) {
      throw new ModelNotReadyException(
          registry.isCompletedExceptionally()
              ? "models failed to load"
              : "models are still loading");
    }
    return loaded;
  }

  /** Waits for the models (blocking; worker threads only). */
  public ModelRegistry awaitRegistry() {
    return registry.join();
  }

  public boolean ready() {
    return registry.isDone() && !registry.isCompletedExceptionally();
  }

  public boolean failed() {
    return registry.isCompletedExceptionally();
  }

  private static void closeQuietly(EmbeddingModel model) {
    try {
      model.close();
    } catch (Exception ignored) {
      // stopping anyway
    }
  }
}
