package multimodal.generator.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import multimodal.devkit.onnx.DiffusionFixture;
import multimodal.generator.inference.diffusion.DiffusionPipeline;
import multimodal.generator.inference.diffusion.DiffusionRequest;
import multimodal.generator.inference.generation.GenerationControl;

/**
 * Benchmark (a main, not a test) of the diffusion pipeline: UNet steps/s (denoising loop only) and
 * seconds per image (prompt encoding + loop + VAE decode, divided by the candidates) at batch 1 and
 * 4, with the guidance batch trick (one UNet run of 2N rows per step) and without (two runs of N).
 *
 * <p>With no model directory it runs the devkit's <b>diffusion fixture</b> (tiny formula graphs
 * with the real interface): its figures measure the pipeline's own overhead (tensors, scheduler,
 * noise, PNG), not a real UNet's compute. For a full-size UNet (shape-faithful or a real export)
 * use {@link DiffusionModelBenchmark}, which times few steps and derives the rest. Usage: {@code
 * DiffusionBenchmark [exportDir|-] [size] [steps] [repeats]} (defaults: fixture, 512, 10, 2; best
 * of the repeats).
 */
public final class DiffusionBenchmark {
  private DiffusionBenchmark() {}

  public static void main(String[] args) throws Exception {
    boolean fixture = args.length == 0 || "-".equals(args[0]);
    Path dir =
        fixture
            ? new DiffusionFixture(true, "EulerDiscreteScheduler")
                .write(Path.of("target", "bench-models"), "diffusion-fixture")
            : Path.of(args[0]);
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    System.out.printf(
        "model: %s (%s), %d×%d, %d steps, cores available: %d%n",
        dir,
        fixture ? "FIXTURE: formula graphs, pipeline overhead only" : "export",
        size,
        size,
        steps,
        Runtime.getRuntime().availableProcessors());
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        DiffusionPipeline pipeline = DiffusionPipeline.load(dir, env, options, null)) {
      System.out.printf("scheduler %s%n", pipeline.schedulerName());
      System.out.println("batch  guidance         UNet steps/s   s/image");
      for (int batch : new int[] {1, 4}) {
        for (boolean batched : new boolean[] {true, false}) {
          DiffusionRequest request =
              DiffusionRequest.of("a red square")
                  .withSize(size, size)
                  .withSteps(steps)
                  .withCandidates(batch)
                  .withBatchGuidance(batched);
          try (GenerationControl warmUp = GenerationControl.unlimited()) {
            pipeline.generate(request.withSteps(1), warmUp, (s, n) -> {});
          }
          double bestLoop = Double.MAX_VALUE;
          double bestTotal = Double.MAX_VALUE;
          for (int r = 0; r < repeats; r++) {
            long[] loopEnd = new long[1];
            long start = System.nanoTime();
            try (GenerationControl control = GenerationControl.unlimited()) {
              long[] loopStart = {0};
              pipeline.generate(
                  request,
                  control,
                  (step, total) -> {
                    if (step == 1) {
                      loopStart[0] = System.nanoTime();
                    }
                    loopEnd[0] = System.nanoTime();
                  });
              // steps 2..n between the first and last callbacks: the first step's start is not seen
              double loop = (loopEnd[0] - loopStart[0]) / 1e9 / Math.max(1, steps - 1);
              bestLoop = Math.min(bestLoop, loop);
            }
            bestTotal = Math.min(bestTotal, (System.nanoTime() - start) / 1e9);
          }
          System.out.printf(
              "%5d  %-15s  %12.2f  %8.3f%n",
              batch,
              batched ? "one batch (2N)" : "two runs (N+N)",
              1 / bestLoop,
              bestTotal / batch);
        }
      }
    }
  }
}
