package multimodal.encoder.inference;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import multimodal.media.ImageDecoder;
import multimodal.media.ImageLimits;

/**
 * Loads model directories into {@link EmbeddingModel}s, all sessions on the one shared {@link
 * OrtEnvironment}: a CLIP layout ({@link ClipModelFiles#detect}) becomes a {@link ClipModel}; a
 * directory with one ONNX graph and a {@code tokenizer.json} and no CLIP files becomes a {@link
 * SentenceModel}. Interfaces are checked at load and every tower runs once (warm-up).
 */
public final class ModelLoader {
  private static final System.Logger LOG = System.getLogger(ModelLoader.class.getName());

  /**
   * all-MiniLM-L6-v2 was trained on up to 256 word pieces (sentence-transformers max_seq_length).
   */
  public static final int SENTENCE_MAX_TOKENS = 256;

  private final OrtEnvironment env;
  private final OrtSettings settings;
  private final ImageDecoder decoder;
  private final boolean jpegDctScaling;
  private volatile boolean cudaInUse;

  /** Refuses truncated images (the default policy). */
  public ModelLoader(OrtEnvironment env, OrtSettings settings, ImageLimits limits) {
    this(env, settings, new ImageDecoder(limits));
  }

  public ModelLoader(OrtEnvironment env, OrtSettings settings, ImageDecoder decoder) {
    this(env, settings, decoder, false);
  }

  /**
   * @param jpegDctScaling decode a JPEG far larger than a CLIP model's input at 1/2, 1/4 or 1/8 of
   *     its size in libjpeg-turbo (DCT-domain scaling), keeping its short side at least the
   *     preprocessor's resize target: much faster on photographs, but not Pillow's values, so the
   *     embeddings move slightly ({@code encoder.images.jpeg-dct-scaling}, off by default)
   */
  public ModelLoader(
      OrtEnvironment env, OrtSettings settings, ImageDecoder decoder, boolean jpegDctScaling) {
    this.env = env;
    this.settings = settings;
    this.decoder = decoder;
    this.jpegDctScaling = jpegDctScaling;
  }

  /**
   * @param name logical model name
   * @param dir the model directory
   * @param version the configured version; else config.json's {@code model_version}; else the
   *     directory name
   */
  public EmbeddingModel load(String name, Path dir, Optional<String> version) {
    return load(name, dir, version, Precision.FP32);
  }

  /**
   * As {@link #load(String, Path, Optional)}, the graphs run at {@code precision} ({@link
   * Precision#INT8}: rewritten by {@link Int8MatMulQuantizer} before the sessions are made).
   */
  public EmbeddingModel load(String name, Path dir, Optional<String> version, Precision precision) {
    if (!Files.isDirectory(dir)) {
      throw new ModelLoadException(
          "model " + name + ": directory " + dir.toAbsolutePath() + " does not exist");
    }
    EmbeddingModel model =
        ClipModelFiles.looksLikeClip(dir)
            ? loadClip(name, dir, version, precision)
            : loadSentence(name, dir, version, precision);
    try {
      model.warmUp();
      return model;
    } catch (OrtException | RuntimeException e) {
      closeQuietly(model);
      if (e instanceof ModelLoadException load) {
        throw load;
      }
      throw new ModelLoadException(
          "model " + name + " failed its warm-up run: " + e.getMessage(), e);
    }
  }

  private ClipModel loadClip(String name, Path dir, Optional<String> version, Precision precision) {
    ClipModelFiles files = ClipModelFiles.detect(dir);
    ModelCard card = ModelCard.read(files.config());
    String resolvedVersion = version.or(card::version).orElse(directoryName(dir));
    PreprocessorConfig preprocessing =
        files.layout() == ClipLayout.IMMICH
            ? PreprocessorConfig.readOpenClip(files.preprocessorConfig())
            : PreprocessorConfig.read(files.preprocessorConfig());
    ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(preprocessing);
    ClipTokenizer tokenizer = ClipTokenizer.load(files.tokenizer(), files.tokenizerConfig());
    TextTower text = null;
    ImageTower image = null;
    try {
      String textFile = dir.relativize(files.textModel()).toString();
      String visionFile = dir.relativize(files.visionModel()).toString();
      switch (files.layout()) {
        case SPLIT -> {
          text =
              new TextTower(
                  env,
                  session(files.textModel(), precision),
                  tokenizer,
                  textFile,
                  "input_ids",
                  "text_embeds",
                  null,
                  0);
          image =
              new ImageTower(
                  env,
                  session(files.visionModel(), precision),
                  preprocessor,
                  visionFile,
                  "pixel_values",
                  "image_embeds",
                  null);
        }
        case COMBINED -> {
          // One graph, two sessions: each tower requests only its output, so ORT prunes the other.
          text =
              new TextTower(
                  env,
                  session(files.textModel(), precision),
                  tokenizer,
                  textFile,
                  "input_ids",
                  "text_embeds",
                  "pixel_values",
                  preprocessing.cropHeight());
          image =
              new ImageTower(
                  env,
                  session(files.visionModel(), precision),
                  preprocessor,
                  visionFile,
                  "pixel_values",
                  "image_embeds",
                  "input_ids");
        }
        case IMMICH -> {
          text =
              new TextTower(
                  env,
                  session(files.textModel(), precision),
                  tokenizer,
                  textFile,
                  "text",
                  "embedding",
                  null,
                  0);
          image =
              new ImageTower(
                  env,
                  session(files.visionModel(), precision),
                  preprocessor,
                  visionFile,
                  "image",
                  "embedding",
                  null);
        }
      }
      int dimension = dimension(name, text.declaredDimension(), image.declaredDimension());
      return new ClipModel(
          name,
          resolvedVersion,
          dimension,
          card,
          files.layout(),
          text,
          image,
          decoder,
          jpegDctScaling ? preprocessing.shortestEdge() : 0);
    } catch (OrtException | RuntimeException e) {
      closeQuietly(
          text, image, text == null ? tokenizer : null); // the text tower owns the tokenizer
      if (e instanceof ModelLoadException load) {
        throw new ModelLoadException(
            "model "
                + name
                + " ("
                + files.layout()
                + " layout in "
                + dir
                + "): "
                + load.getMessage(),
            load);
      }
      throw new ModelLoadException(
          "cannot load model " + name + " from " + dir + ": " + e.getMessage(), e);
    }
  }

  private SentenceModel loadSentence(
      String name, Path dir, Optional<String> version, Precision precision) {
    Path graph = single(dir, "model.onnx", ".onnx");
    Path tokenizerJson = single(dir, "tokenizer.json", "tokenizer.json");
    ModelCard card = ModelCard.read(optional(dir.resolve(ClipModelFiles.CONFIG)));
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(tokenizerJson)
              .optAddSpecialTokens(true)
              .optTruncation(true)
              .optMaxLength(SENTENCE_MAX_TOKENS)
              .optPadding(false)
              .build();
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException(
          "model " + name + ": cannot load tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
    }
    try {
      return new SentenceModel(
          name,
          version.or(card::version).orElse(directoryName(dir)),
          card,
          env,
          session(graph, precision),
          tokenizer,
          dir.relativize(graph).toString(),
          SENTENCE_MAX_TOKENS);
    } catch (OrtException | RuntimeException e) {
      tokenizer.close();
      throw new ModelLoadException(
          "model " + name + " (sentence embedding in " + dir + "): " + e.getMessage(), e);
    }
  }

  /** {@code preferred} if present, else the only file whose name ends with {@code suffix}. */
  private static Path single(Path dir, String preferred, String suffix) {
    if (Files.isRegularFile(dir.resolve(preferred))) {
      return dir.resolve(preferred);
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> matches =
          files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
      if (matches.size() != 1) {
        throw new ModelLoadException(
            "model directory "
                + dir.toAbsolutePath()
                + " needs "
                + preferred
                + " (or exactly one *"
                + suffix
                + " file), found "
                + matches.size());
      }
      return matches.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<Path> optional(Path file) {
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  private static String directoryName(Path dir) {
    return dir.toAbsolutePath().normalize().getFileName().toString();
  }

  OrtSession session(Path graph) throws OrtException {
    return session(graph, Precision.FP32);
  }

  OrtSession session(Path graph, Precision precision) throws OrtException {
    try (OrtSession.SessionOptions options = sessionOptions()) {
      if (precision == Precision.INT8) {
        Optional<byte[]> quantized = Int8Graphs.quantize(graph);
        if (quantized.isPresent()) {
          return env.createSession(quantized.get(), options);
        }
      }
      // A path, not bytes: large exports keep weights in a side file next to the graph.
      return env.createSession(graph.toString(), options);
    }
  }

  /** Session options from the settings; CUDA when asked for and usable, else CPU with a warning. */
  OrtSession.SessionOptions sessionOptions() throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setOptimizationLevel(optLevel(settings.optimizationLevel()));
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(settings.intraOpThreadsToUse());
      if (settings.interOpThreads() > 0) {
        options.setInterOpNumThreads(settings.interOpThreads());
      }
      if (!settings.allowSpinning()) {
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
      }
      if ("cuda".equalsIgnoreCase(settings.executionProvider())) {
        addCuda(options);
      } else if (!"cpu".equalsIgnoreCase(settings.executionProvider())) {
        throw new ModelLoadException(
            "unknown execution provider '" + settings.executionProvider() + "' (use cpu or cuda)");
      }
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  private void addCuda(OrtSession.SessionOptions options) {
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      LOG.log(
          Level.WARNING,
          "execution provider cuda requested but this ONNX Runtime build has no CUDA (build with"
              + " -Donnxruntime_gpu); running on CPU. Available: "
              + OrtEnvironment.getAvailableProviders());
      return;
    }
    try {
      options.addCUDA(settings.cudaDevice());
      cudaInUse = true;
      LOG.log(Level.INFO, "ONNX Runtime sessions use CUDA device " + settings.cudaDevice());
    } catch (OrtException e) {
      LOG.log(
          Level.WARNING,
          "CUDA execution provider unusable (" + e.getMessage() + "); running on CPU");
    }
  }

  /** True once a session was created with the CUDA execution provider. */
  public boolean cudaInUse() {
    return cudaInUse;
  }

  static OptLevel optLevel(String level) {
    return switch (level.toLowerCase(Locale.ROOT)) {
      case "all" -> OptLevel.ALL_OPT;
      case "extended" -> OptLevel.EXTENDED_OPT;
      case "basic" -> OptLevel.BASIC_OPT;
      case "none" -> OptLevel.NO_OPT;
      default ->
          throw new ModelLoadException(
              "unknown optimisation level '" + level + "' (use all, extended, basic or none)");
    };
  }

  private static int dimension(String name, long text, long image) {
    if (text > 0 && image > 0 && text != image) {
      throw new ModelLoadException(
          "model "
              + name
              + ": the text output has "
              + text
              + " dims but the image output has "
              + image);
    }
    long dim = Math.max(text, image);
    if (dim <= 0) {
      throw new ModelLoadException(
          "model " + name + ": the embedding size is not declared by either graph");
    }
    return (int) dim;
  }

  private static void closeQuietly(AutoCloseable... resources) {
    for (AutoCloseable resource : resources) {
      try {
        if (resource != null) {
          resource.close();
        }
      } catch (Exception ignored) {
        // already failing; the load error is what matters
      }
    }
  }
}
