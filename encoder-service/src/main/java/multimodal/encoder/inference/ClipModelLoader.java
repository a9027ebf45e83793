package multimodal.encoder.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Loads CLIP model directories into {@link ClipModel}s: one session per graph, all on the one
 * shared {@link OrtEnvironment}; checks the graphs' interfaces and runs each tower once.
 */
public final class ClipModelLoader {
  private final OrtEnvironment env;
  private final OrtSettings settings;
  private final ImageLimits limits;

  public ClipModelLoader(OrtEnvironment env, OrtSettings settings, ImageLimits limits) {
    this.env = env;
    this.settings = settings;
    this.limits = limits;
  }

  /**
   * @param name logical model name
   * @param dir the model directory (split layout)
   * @param version the configured version; else config.json's {@code model_version}; else the
   *     directory name
   */
  public ClipModel load(String name, Path dir, Optional<String> version) {
    ClipModelFiles files = ClipModelFiles.splitLayout(dir);
    ModelCard card = ModelCard.read(files.config());
    String resolvedVersion =
        version.or(card::version).orElse(dir.toAbsolutePath().normalize().getFileName().toString());
    ClipTokenizer tokenizer = ClipTokenizer.load(files.tokenizer(), files.tokenizerConfig());
    TextEncoder text = null;
    ImageEncoder image = null;
    try {
      text = new TextEncoder(env, session(files.textModel()), tokenizer, ClipModelFiles.TEXT_MODEL);
      image =
          new ImageEncoder(
              env,
              session(files.visionModel()),
              new ClipImagePreprocessor(PreprocessorConfig.read(files.preprocessorConfig())),
              ClipModelFiles.VISION_MODEL);
      int dimension = dimension(name, text.declaredDimension(), image.declaredDimension());
      ClipModel model =
          new ClipModel(name, resolvedVersion, dimension, card, text, image, new ImageDecoder(limits));
      model.warmUp();
      return model;
    } catch (OrtException | RuntimeException e) {
      closeQuietly(text, image, tokenizer);
      if (e instanceof ModelLoadException load) {
        throw load;
      }
      throw new ModelLoadException("cannot load model " + name + " from " + dir + ": " + e.getMessage(), e);
    }
  }

  private OrtSession session(Path graph) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      if (settings.intraOpThreads() > 0) {
        options.setIntraOpNumThreads(settings.intraOpThreads());
      }
      if (settings.interOpThreads() > 0) {
        options.setInterOpNumThreads(settings.interOpThreads());
      }
      // A path, not bytes: large exports keep weights in a side file next to the graph.
      return env.createSession(graph.toString(), options);
    }
  }

  private static int dimension(String name, long text, long image) {
    if (text > 0 && image > 0 && text != image) {
      throw new ModelLoadException(
          "model " + name + ": text_embeds has " + text + " dims but image_embeds has " + image);
    }
    long dim = Math.max(text, image);
    if (dim <= 0) {
      throw new ModelLoadException("model " + name + ": the embedding size is not declared by either graph");
    }
    return (int) dim;
  }

  private static void closeQuietly(TextEncoder text, ImageEncoder image, ClipTokenizer tokenizer) {
    try {
      if (text != null) {
        text.close(); // also closes the tokenizer
      } else {
        tokenizer.close();
      }
      if (image != null) {
        image.close();
      }
    } catch (OrtException | RuntimeException ignored) {
      // already failing; the load error is what matters
    }
  }
}
