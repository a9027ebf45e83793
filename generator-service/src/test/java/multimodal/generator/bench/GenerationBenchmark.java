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
import multimodal.generator.inference.CaptionModel;
import multimodal.generator.inference.CaptionTaskKind;
import multimodal.generator.inference.DecodingOptions;
import multimodal.generator.inference.Florence2Captioner;
import multimodal.generator.inference.GenerationControl;
import multimodal.generator.inference.GenerationEngine;
import multimodal.generator.inference.ModelFiles;
import multimodal.generator.inference.VitGpt2Captioner;

/**
 * Benchmark (a main, not a test) of the generation engine on shape-faithful models (real sizes,
 * random weights, generated on demand by the devkit):
 *
 * <ol>
 *   <li>ViT-GPT2 ({@link VitGpt2ShapeModel}): tokens/s for 32 new tokens with the KV cache vs
 *       recomputing the whole sequence each step;
 *   <li>ViT-GPT2: images/s captioning 8 images in one batch vs one at a time (20 new tokens each);
 *   <li>Florence-2-base's language model ({@link Florence2LanguageShapeModel}, whose export caches
 *       cross-attention too) through the production Florence-2 loop: 32 new tokens with the KV
 *       cache vs recomputing.
 * </ol>
 *
 * Stop tokens are disabled so every run generates exactly the asked number of tokens. Usage:
 * {@code GenerationBenchmark [modelsDir] [repeats] [parts]}, parts a comma list of {@code
 * vit-gpt2} (1 and 2) and {@code florence2} (3); default both.
 */
public final class GenerationBenchmark {
  private GenerationBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/bench-models");
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    List<String> parts = List.of((args.length > 2 ? args[2] : "vit-gpt2,florence2").split(","));
    System.out.printf("cores available: %d%n", Runtime.getRuntime().availableProcessors());
    if (parts.contains("vit-gpt2")) {
      vitGpt2(out, repeats);
    }
    if (parts.contains("florence2")) {
      florence2(out, repeats);
    }
  }

  private static OrtSession.SessionOptions sessionOptions() throws ai.onnxruntime.OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    options.setMemoryPatternOptimization(false); // as the service: KV caches change shape every step
    return options;
  }

  /** Writes (if missing) and loads a shape model, saying how long each took. */
  private static <M extends CaptionModel> M load(String name, ModelWriter writer, ModelLoader<M> loader,
      OrtSession.SessionOptions options) throws Exception {
    long start = System.nanoTime();
    Path dir = writer.write();
    System.out.printf("%s model ready in %s (%.1f s)%n", name, dir, (System.nanoTime() - start) / 1e9);
    start = System.nanoTime();
    M model = loader.load(new ModelFiles(dir), OrtEnvironment.getEnvironment(), options);
    System.out.printf("loaded in %.1f s%n", (System.nanoTime() - start) / 1e9);
    return model;
  }

  private interface ModelWriter {
    Path write() throws Exception;
  }

  private interface ModelLoader<M> {
    M load(ModelFiles files, OrtEnvironment env, OrtSession.SessionOptions options) throws Exception;
  }

  /** 3: the KV cache where the export caches cross-attention too (Florence-2's .encoder. pasts). */
  private static void florence2(Path out, int repeats) throws Exception {
    try (OrtSession.SessionOptions options = sessionOptions();
        Florence2Captioner model = load("Florence-2 LM", () -> Florence2LanguageShapeModel.write(out),
            Florence2Captioner::load, options)) {
      compareCache("3. Florence-2-base LM", model, List.of(TestImages.shape(Color.RED, "square", 768)), repeats);
    }
  }

  /** 32 new tokens for one image with the cache and recomputing; the first step on its own. */
  private static void compareCache(String title, CaptionModel model, List<BufferedImage> image, int repeats) {
    DecodingOptions noStop = new DecodingOptions(32, 1, 1f, 0, 1f, Set.of(), true);
    run(model, image, noStop); // warm-up
    double oneToken = best(repeats, () -> run(model, image, new DecodingOptions(1, 1, 1f, 0, 1f, Set.of(), true)));
    double cached = best(repeats, () -> run(model, image, noStop));
    double recomputed = best(repeats, () -> run(model, image, noStop.withCache(false)));
    System.out.printf("%s, 32 new tokens, 1 image: encoders + first step %.2f s%n", title, oneToken);
    System.out.printf("   KV cache:   %.2f s total, %.1f tokens/s end to end, %.1f tokens/s decoding%n",
        cached, 32 / cached, 31 / (cached - oneToken));
    System.out.printf("   recompute:  %.2f s total, %.1f tokens/s end to end, %.1f tokens/s decoding%n",
        recomputed, 32 / recomputed, 31 / (recomputed - oneToken));
    System.out.printf("   speed-up with the cache: %.2fx end to end, %.2fx decoding%n",
        recomputed / cached, (recomputed - oneToken) / (cached - oneToken));
    // Both modes must decode the same tokens (random weights: near-ties may rarely differ).
    System.out.printf("   same tokens with and without the cache: %s%n",
        tokens(model, image, noStop).equals(tokens(model, image, noStop.withCache(false))));
  }

  private static List<Long> tokens(CaptionModel model, List<BufferedImage> image, DecodingOptions options) {
    List<Long> tokens = new ArrayList<>();
    try (GenerationControl control = GenerationControl.unlimited()) {
      model.caption(image, CaptionTaskKind.CAPTION, options, control, (input, token) -> tokens.add(token));
    }
    return tokens;
  }

  private static void vitGpt2(Path out, int repeats) throws Exception {
    try (OrtSession.SessionOptions options = sessionOptions();
        VitGpt2Captioner model = load("ViT-GPT2", () -> VitGpt2ShapeModel.write(out),
            VitGpt2Captioner::load, options)) {
      List<BufferedImage> images = new ArrayList<>();
      Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW, Color.BLACK, Color.CYAN, Color.ORANGE, Color.PINK};
      for (int i = 0; i < 8; i++) {
        images.add(TestImages.shape(colours[i], i % 2 == 0 ? "square" : "circle", 224));
      }
      compareCache("1. ViT-GPT2", model, images.subList(0, 1), repeats);

      DecodingOptions twenty = new DecodingOptions(20, 1, 1f, 0, 1f, Set.of(), true);
      double batched = best(repeats, () -> run(model, images, twenty));
      double single = best(repeats, () -> {
        double total = 0;
        for (BufferedImage image : images) {
          total += run(model, List.of(image), twenty);
        }
        return total;
      });
      System.out.printf("2. 8 images x 20 new tokens: batched %.2f s (%.2f images/s), one at a time %.2f s"
          + " (%.2f images/s), speed-up %.2fx%n", batched, 8 / batched, single, 8 / single, single / batched);
    }
  }

  private static double run(CaptionModel model, List<BufferedImage> images, DecodingOptions options) {
    long start = System.nanoTime();
    try (GenerationControl control = GenerationControl.unlimited()) {
      model.caption(images, CaptionTaskKind.CAPTION, options, control, GenerationEngine.TokenListener.NONE);
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
