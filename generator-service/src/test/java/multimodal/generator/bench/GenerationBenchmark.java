package multimodal.generator.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import multimodal.devkit.onnx.Florence2LanguageShapeModel;
import multimodal.devkit.onnx.VitGpt2ShapeModel;
import multimodal.generator.TestImages;
import multimodal.generator.inference.caption.CaptionModel;
import multimodal.generator.inference.caption.CaptionTaskKind;
import multimodal.generator.inference.caption.Florence2Captioner;
import multimodal.generator.inference.caption.VitGpt2Captioner;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.GenerationEngine;
import multimodal.generator.inference.onnx.ModelFiles;

/**
 * Benchmark (a main, not a test) of the generation engine on shape-faithful models (real sizes,
 * random weights, generated on demand by the devkit):
 *
 * <ol>
 *   <li>ViT-GPT2 ({@link VitGpt2ShapeModel}): tokens/s for 32 new tokens in three modes:
 *       recomputing the whole sequence each step (the original graph, no cache), the KV cache as
 *       exported (self-attention only: {@code cacheCrossAttention} off), and the KV cache with the
 *       cross-attention keys/values split out of the decoder and computed once (the default);
 *   <li>ViT-GPT2 (cross-attention cached): images/s captioning 8 images in one batch vs one at a
 *       time (20 new tokens each);
 *   <li>Florence-2-base's language model ({@link Florence2LanguageShapeModel}, whose export caches
 *       cross-attention too) through the production Florence-2 loop: 32 new tokens with the KV
 *       cache vs recomputing.
 * </ol>
 *
 * Stop tokens are disabled so every run generates exactly the asked number of tokens. Usage: {@code
 * GenerationBenchmark [modelsDir] [repeats] [parts] [tokens]}, parts a comma list of {@code
 * vit-gpt2} (1 and 2), {@code vit-gpt2-cache} (1 only) and {@code florence2} (3), default {@code
 * vit-gpt2,florence2}; tokens (default 32) the new tokens of parts 1 and 3 (fewer for a smoke run).
 */
public final class GenerationBenchmark {
  private GenerationBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/bench-models");
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    List<String> parts = List.of((args.length > 2 ? args[2] : "vit-gpt2,florence2").split(","));
    int tokens = args.length > 3 ? Integer.parseInt(args[3]) : 32;
    System.out.printf("cores available: %d%n", Runtime.getRuntime().availableProcessors());
    if (parts.contains("vit-gpt2") || parts.contains("vit-gpt2-cache")) {
      vitGpt2(out, repeats, tokens, parts.contains("vit-gpt2"));
    }
    if (parts.contains("florence2")) {
      florence2(out, repeats, tokens);
    }
  }

  private static OrtSession.SessionOptions sessionOptions() throws ai.onnxruntime.OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    options.setMemoryPatternOptimization(
        false); // as the service: KV caches change shape every step
    return options;
  }

  /** Writes (if missing) and loads a shape model, saying how long each took. */
  private static <M extends CaptionModel> M load(
      String name, ModelWriter writer, ModelLoader<M> loader, OrtSession.SessionOptions options)
      throws Exception {
    long start = System.nanoTime();
    Path dir = writer.write();
    System.out.printf(
        "%s model ready in %s (%.1f s)%n", name, dir, (System.nanoTime() - start) / 1e9);
    start = System.nanoTime();
    M model = loader.load(new ModelFiles(dir), OrtEnvironment.getEnvironment(), options);
    System.out.printf("loaded in %.1f s%n", (System.nanoTime() - start) / 1e9);
    return model;
  }

  private interface ModelWriter {
    Path write() throws Exception;
  }

  private interface ModelLoader<M> {
    M load(ModelFiles files, OrtEnvironment env, OrtSession.SessionOptions options)
        throws Exception;
  }

  /** 3: the KV cache where the export caches cross-attention too (Florence-2's .encoder. pasts). */
  private static void florence2(Path out, int repeats, int tokens) throws Exception {
    List<BufferedImage> image = List.of(TestImages.shape(Color.RED, "square", 768));
    try (OrtSession.SessionOptions options = sessionOptions();
        Florence2Captioner model =
            load(
                "Florence-2 LM",
                () -> Florence2LanguageShapeModel.write(out),
                Florence2Captioner::load,
                options)) {
      report(
          "3. Florence-2-base LM",
          tokens,
          List.of(
              measure(
                  "recompute (no cache)", model, image, noStop(tokens).withCache(false), repeats),
              measure("KV cache", model, image, noStop(tokens), repeats)));
    }
  }

  /**
   * 1: recompute vs the KV cache as exported vs the KV cache with the cross-attention split out
   * (two loads of the same files: the split is a load option); 2 (if asked): batching, split.
   */
  private static void vitGpt2(Path out, int repeats, int tokens, boolean batching)
      throws Exception {
    List<BufferedImage> image = List.of(TestImages.shape(Color.RED, "square", 224));
    List<Timing> timings = new ArrayList<>();
    try (OrtSession.SessionOptions options = sessionOptions();
        VitGpt2Captioner model =
            load(
                "ViT-GPT2 (decoder as exported)",
                () -> VitGpt2ShapeModel.write(out),
                (files, env, opts) -> VitGpt2Captioner.load(files, env, opts, false),
                options)) {
      System.out.println("   decoder: " + model.decoderSetup());
      timings.add(
          measure(
              "recompute (original graph)",
              model,
              image,
              noStop(tokens).withCache(false),
              repeats));
      timings.add(measure("KV cache as exported", model, image, noStop(tokens), repeats));
    }
    try (OrtSession.SessionOptions options = sessionOptions();
        VitGpt2Captioner model =
            load(
                "ViT-GPT2 (cross-attention cached)",
                () -> VitGpt2ShapeModel.write(out),
                VitGpt2Captioner::load,
                options)) {
      System.out.println("   decoder: " + model.decoderSetup());
      timings.add(
          measure("KV cache + cross-attention cached", model, image, noStop(tokens), repeats));
      report("1. ViT-GPT2", tokens, timings);
      if (batching) {
        batching(model, repeats);
      }
    }
  }

  /** 2: 8 images x 20 new tokens in one batch vs one at a time. */
  private static void batching(CaptionModel model, int repeats) {
    List<BufferedImage> images = new ArrayList<>();
    Color[] colours = {
      Color.RED,
      Color.GREEN,
      Color.BLUE,
      Color.YELLOW,
      Color.BLACK,
      Color.CYAN,
      Color.ORANGE,
      Color.PINK
    };
    for (int i = 0; i < 8; i++) {
      images.add(TestImages.shape(colours[i], i % 2 == 0 ? "square" : "circle", 224));
    }
    DecodingOptions twenty = noStop(20);
    double batched = best(repeats, () -> run(model, images, twenty));
    double single =
        best(
            repeats,
            () -> {
              double total = 0;
              for (BufferedImage image : images) {
                total += run(model, List.of(image), twenty);
              }
              return total;
            });
    System.out.printf(
        "2. 8 images x 20 new tokens: batched %.2f s (%.2f images/s), one at a time %.2f s"
            + " (%.2f images/s), speed-up %.2fx%n",
        batched, 8 / batched, single, 8 / single, single / batched);
  }

  /** Greedy, stop tokens off: exactly {@code tokens} new tokens. */
  private static DecodingOptions noStop(int tokens) {
    return new DecodingOptions(tokens, 1, 1f, 0, 1f, Set.of(), true);
  }

  /**
   * One mode for one image: the first step alone (encoders + one token), the whole run, its tokens.
   */
  private record Timing(String mode, double firstStep, double total, List<Long> tokens) {
    double decodingSeconds() {
      return total - firstStep;
    }
  }

  private static Timing measure(
      String mode,
      CaptionModel model,
      List<BufferedImage> image,
      DecodingOptions options,
      int repeats) {
    run(model, image, options); // warm-up
    DecodingOptions firstStep = noStop(1).withCache(options.useCache());
    double first = best(repeats, () -> run(model, image, firstStep));
    double total = best(repeats, () -> run(model, image, options));
    return new Timing(mode, first, total, tokens(model, image, options));
  }

  /** Each mode's tokens/s, and its speed-up over the first mode (recomputing). */
  private static void report(String title, int tokens, List<Timing> timings) {
    Timing baseline = timings.get(0);
    System.out.printf(
        "%s, %d new tokens, 1 image (\"decoding\" leaves out the encoders and the first step)%n",
        title, tokens);
    for (Timing timing : timings) {
      System.out.printf(
          "   %-34s encoders + first step %.2f s, total %.2f s: %.1f tokens/s end to end,"
              + " %.1f tokens/s decoding%n",
          timing.mode() + ":",
          timing.firstStep(),
          timing.total(),
          tokens / timing.total(),
          (tokens - 1) / timing.decodingSeconds());
      if (timing != baseline) {
        System.out.printf(
            "   %-34s %.2fx end to end, %.2fx decoding%n",
            "   vs " + baseline.mode() + ":",
            baseline.total() / timing.total(),
            baseline.decodingSeconds() / timing.decodingSeconds());
      }
    }
    // Every mode must decode the same tokens (random weights: near-ties may rarely differ).
    System.out.printf(
        "   same tokens in every mode: %s%n",
        timings.stream().map(Timing::tokens).distinct().count() == 1);
  }

  private static List<Long> tokens(
      CaptionModel model, List<BufferedImage> image, DecodingOptions options) {
    List<Long> tokens = new ArrayList<>();
    try (GenerationControl control = GenerationControl.unlimited()) {
      model.caption(
          image, CaptionTaskKind.CAPTION, options, control, (input, token) -> tokens.add(token));
    }
    return tokens;
  }

  private static double run(
      CaptionModel model, List<BufferedImage> images, DecodingOptions options) {
    long start = System.nanoTime();
    try (GenerationControl control = GenerationControl.unlimited()) {
      model.caption(
          images, CaptionTaskKind.CAPTION, options, control, GenerationEngine.TokenListener.NONE);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static double best(int repeats, java.util.function.DoubleSupplier measure) {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < repeats; i++) {
      best = Math.min(best, measure.getAsDouble());
    }
    return best;
  }
}
