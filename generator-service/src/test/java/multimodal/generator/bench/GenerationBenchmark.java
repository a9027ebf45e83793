package multimodal.generator.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import multimodal.devkit.onnx.VitGpt2ShapeModel;
import multimodal.generator.TestImages;
import multimodal.generator.inference.CaptionTaskKind;
import multimodal.generator.inference.DecodingOptions;
import multimodal.generator.inference.GenerationControl;
import multimodal.generator.inference.GenerationEngine;
import multimodal.generator.inference.ModelFiles;
import multimodal.generator.inference.VitGpt2Captioner;

/**
 * Benchmark (a main, not a test) of the generation engine on the shape-faithful ViT-GPT2 (real
 * sizes, random weights, generated on demand by devkit's {@link VitGpt2ShapeModel}):
 *
 * <ol>
 *   <li>tokens/s for 32 new tokens with the KV cache vs recomputing the whole sequence each step;
 *   <li>images/s captioning 8 images in one batch vs one at a time (20 new tokens each).
 * </ol>
 *
 * Stop tokens are disabled so every run generates exactly the asked number of tokens. Usage:
 * {@code GenerationBenchmark [modelsDir] [repeats]}.
 */
public final class GenerationBenchmark {
  private GenerationBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/bench-models");
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    long start = System.nanoTime();
    Path dir = VitGpt2ShapeModel.write(out);
    System.out.printf("model ready in %s (%.1f s)%n", dir, (System.nanoTime() - start) / 1e9);
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setMemoryPatternOptimization(false);
      start = System.nanoTime();
      try (VitGpt2Captioner model =
          VitGpt2Captioner.load(new ModelFiles(dir), OrtEnvironment.getEnvironment(), options)) {
        System.out.printf("loaded in %.1f s; cores available: %d%n", (System.nanoTime() - start) / 1e9,
            Runtime.getRuntime().availableProcessors());
        List<BufferedImage> images = new ArrayList<>();
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW, Color.BLACK, Color.CYAN, Color.ORANGE, Color.PINK};
        for (int i = 0; i < 8; i++) {
          images.add(TestImages.shape(colours[i], i % 2 == 0 ? "square" : "circle", 224));
        }
        DecodingOptions noStop = new DecodingOptions(32, 1, 1f, 0, 1f, Set.of(), true);
        run(model, images.subList(0, 1), noStop.withCache(true)); // warm-up

        double oneToken = best(repeats, () -> run(model, images.subList(0, 1),
            new DecodingOptions(1, 1, 1f, 0, 1f, Set.of(), true)));
        double cached = best(repeats, () -> run(model, images.subList(0, 1), noStop));
        double recomputed = best(repeats, () -> run(model, images.subList(0, 1), noStop.withCache(false)));
        System.out.printf("1. 32 new tokens, 1 image: encoder + first step %.2f s%n", oneToken);
        System.out.printf("   KV cache:   %.2f s total, %.1f tokens/s end to end, %.1f tokens/s decoding%n",
            cached, 32 / cached, 31 / (cached - oneToken));
        System.out.printf("   recompute:  %.2f s total, %.1f tokens/s end to end, %.1f tokens/s decoding%n",
            recomputed, 32 / recomputed, 31 / (recomputed - oneToken));
        System.out.printf("   speed-up with the cache: %.2fx end to end, %.2fx decoding%n",
            recomputed / cached, (recomputed - oneToken) / (cached - oneToken));

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
  }

  private static double run(VitGpt2Captioner model, List<BufferedImage> images, DecodingOptions options) {
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
