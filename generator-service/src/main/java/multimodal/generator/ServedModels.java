package multimodal.generator;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import multimodal.generator.config.GeneratorConfig;
import multimodal.generator.inference.caption.CaptionModel;
import multimodal.generator.inference.caption.Florence2Captioner;
import multimodal.generator.inference.caption.VitGpt2Captioner;
import multimodal.generator.inference.onnx.ExecutionProvider;
import multimodal.generator.inference.onnx.ModelFiles;
import multimodal.generator.inference.text.TesseractOcr;
import multimodal.generator.inference.vqa.SmolVlmAnswerer;
import multimodal.generator.inference.vqa.VqaModel;

/**
 * Loads the configured models and Tesseract in the background at startup (readiness stays DOWN
 * until they are loaded) and hands them out. A model that cannot be loaded stops the service.
 */
@Singleton
public class ServedModels {
  /** What is loaded. */
  public record Loaded(
      Map<String, CaptionModel> captioners,
      Map<String, VqaModel> answerers,
      Optional<TesseractOcr> ocr,
      Set<String> fixtures) {
    /**
     * True when the model of that name is a generated fixture (its config.json says {@code
     * "fixture": true}).
     */
    public boolean fixture(String name) {
      return fixtures.contains(name);
    }
  }

  private final GeneratorConfig config;
  private final CompletableFuture<Loaded> loaded = new CompletableFuture<>();

  /** Kept open while the models are served: a decoder may create a session with them later. */
  private OrtSession.SessionOptions options;

  public ServedModels(GeneratorConfig config) {
    this.config = config;
  }

  void onStart(@Observes StartupEvent event) {
    Thread thread = new Thread(this::load, "model-loader");
    thread.setDaemon(true);
    thread.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    loaded.thenAccept(
        models -> {
          models.captioners().values().forEach(CaptionModel::close);
          models.answerers().values().forEach(VqaModel::close);
        });
    if (loaded.isDone() && options != null) {
      options.close();
    }
  }

  private void load() {
    Map<String, CaptionModel> captioners = new LinkedHashMap<>();
    Map<String, VqaModel> answerers = new LinkedHashMap<>();
    Set<String> fixtures = new HashSet<>();
    try {
      options = new OrtSession.SessionOptions();
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setIntraOpNumThreads(config.ort().intraOpThreadsToUse());
      // KV caches grow every step: memory patterns planned for one shape are wasted.
      options.setMemoryPatternOptimization(false);
      new ExecutionProvider(config.ort().executionProvider(), config.ort().cudaDevice())
          .applyTo(options);
      for (Map.Entry<String, GeneratorConfig.Model> entry : config.models().entrySet()) {
        String name = entry.getKey();
        GeneratorConfig.Model model = entry.getValue();
        long start = System.nanoTime();
        ModelFiles files = new ModelFiles(model.dir());
        switch (model.layout()) {
          case VitGpt2Captioner.LAYOUT -> {
            VitGpt2Captioner captioner =
                VitGpt2Captioner.load(
                    files,
                    OrtEnvironment.getEnvironment(),
                    options,
                    config.decoder().cacheCrossAttention());
            if (config.decoder().cacheCrossAttention() && !captioner.crossAttentionCached()) {
              Log.warnf("model %s: %s", name, captioner.decoderSetup());
            } else {
              Log.infof("model %s: %s", name, captioner.decoderSetup());
            }
            captioners.put(name, captioner);
          }
          case Florence2Captioner.LAYOUT ->
              captioners.put(
                  name, Florence2Captioner.load(files, OrtEnvironment.getEnvironment(), options));
          case SmolVlmAnswerer.LAYOUT ->
              answerers.put(
                  name, SmolVlmAnswerer.load(files, OrtEnvironment.getEnvironment(), options));
          default ->
              throw new IllegalStateException(
                  "model "
                      + name
                      + ": layout '"
                      + model.layout()
                      + "' is not supported (supported: "
                      + VitGpt2Captioner.LAYOUT
                      + ", "
                      + Florence2Captioner.LAYOUT
                      + ", "
                      + SmolVlmAnswerer.LAYOUT
                      + ")");
        }
        Log.infof(
            "loaded model %s (layout %s, version %s) from %s in %d ms",
            name,
            model.layout(),
            files.version(),
            model.dir().toAbsolutePath(),
            (System.nanoTime() - start) / 1_000_000);
        if (files.fixture()) {
          fixtures.add(name);
          Log.warnf(
              "model %s is a generated DEMO FIXTURE, not trained weights: it only knows the"
                  + " colour and shape of a centred square or circle",
              name);
        }
      }
      if (!captioners.containsKey(config.defaultCaptionModel())) {
        throw new IllegalStateException(
            "default caption model '"
                + config.defaultCaptionModel()
                + "' is not configured (generator.models."
                + config.defaultCaptionModel()
                + ".dir)");
      }
      Optional<TesseractOcr> ocr = Optional.empty();
      if (config.ocr().enabled()) {
        TesseractOcr tesseract =
            new TesseractOcr(
                TesseractOcr.findTessdata(config.ocr().tessdata())
                    .orElseThrow(
                        () ->
                            new IllegalStateException(
                                "no Tesseract data found: install tesseract-ocr-eng"
                                    + " or set generator.ocr.tessdata")),
                config.ocr().language());
        ocr = Optional.of(tesseract);
        Log.infof("OCR: Tesseract with languages %s", tesseract.languages());
      }
      loaded.complete(
          new Loaded(Map.copyOf(captioners), Map.copyOf(answerers), ocr, Set.copyOf(fixtures)));
    } catch (OrtException | java.io.IOException | RuntimeException | LinkageError e) {
      Log.errorf(e, "cannot load the models, stopping: %s", e.getMessage());
      loaded.completeExceptionally(e);
      captioners.values().forEach(CaptionModel::close);
      answerers.values().forEach(VqaModel::close);
      Quarkus.asyncExit(1);
    }
  }

  /** The models, or {@link ModelNotReadyException} while they are loading. */
  public Loaded get() {
    Loaded models = loaded.getNow(null);
    if (models == null) {
      throw new ModelNotReadyException(
          loaded.isCompletedExceptionally() ? "models failed to load" : "models are still loading");
    }
    return models;
  }

  /** Waits for the models (blocking; worker threads only). */
  public Loaded await() {
    return loaded.join();
  }

  public boolean ready() {
    return loaded.isDone() && !loaded.isCompletedExceptionally();
  }

  public boolean failed() {
    return loaded.isCompletedExceptionally();
  }

  /** The captioning model by name; empty = default. */
  public CaptionModel captioner(String name) {
    String key = name == null || name.isEmpty() ? config.defaultCaptionModel() : name;
    CaptionModel model = get().captioners().get(key);
    if (model == null) {
      throw new UnknownModelException(
          key, "unknown model '" + key + "'; served: " + get().captioners().keySet());
    }
    return model;
  }

  /** The question-answering model by name; empty = default. */
  public VqaModel answerer(String name) {
    String key = name == null || name.isEmpty() ? config.defaultVqaModel() : name;
    VqaModel model = get().answerers().get(key);
    if (model == null) {
      throw new UnknownModelException(
          key,
          "unknown question-answering model '" + key + "'; served: " + get().answerers().keySet());
    }
    return model;
  }

  public String defaultVqaModel() {
    return config.defaultVqaModel();
  }

  public String defaultCaptionModel() {
    return config.defaultCaptionModel();
  }

  public TesseractOcr ocr() {
    return get()
        .ocr()
        .orElseThrow(
            () -> new ModelNotReadyException("OCR is disabled (generator.ocr.enabled=false)"));
  }
}
