package multimodal.generator.bench;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import multimodal.devkit.onnx.DiffusionShapeModel;
import multimodal.generator.inference.diffusion.DiffusionPipeline;
import multimodal.generator.inference.diffusion.DiffusionRequest;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.GenerationStoppedException;
import multimodal.generator.inference.onnx.OrtTensors;

/**
 * Benchmark (a main, not a test) of text to image at full size: 512×512 images (64×64 latents) on
 * devkit's shape-faithful Stable Diffusion ({@link DiffusionShapeModel}: BK-SDM-Tiny's UNet, CLIP
 * ViT-L/14's text tower, SD's VAE decoder, random weights) or on a real export directory.
 *
 * <p>A UNet step of such a model takes seconds on a few CPU cores, so it <b>measures</b> few steps
 * and <b>derives</b> the rest, and prints which is which:
 *
 * <ul>
 *   <li>measured: the text encoder (prompt + negative prompt, one batch of 2, ONNX Runtime
 *       directly); the VAE decoder (one 64×64 latent → 512×512, directly; the pipeline decodes one
 *       image at a time); one UNet run of a single row without guidance (directly, also checking
 *       that the outputs of the three graphs are finite); and through {@link DiffusionPipeline}
 *       itself, at batch 1 and 4 candidates, with the guidance batch trick (one UNet run of 2N rows
 *       per step) and without (two runs of N), the time of each denoising step after a first,
 *       warm-up step (the generation is cancelled after the timed steps, before decoding).
 *   <li>derived: seconds per image for 20 Euler steps with guidance = (text encoder + 20 × step + N
 *       × VAE) / N, and for a 1- and 4-step LCM/turbo schedule, which runs without guidance (N rows
 *       per step: half the two-run step).
 * </ul>
 *
 * <p>Memory: batch 4 with the guidance trick runs 8 rows, and self-attention over 4096 pixels then
 * holds 8 × 8 heads × 4096² floats (4.3 GB) per score tensor, twice around the softmax: the process
 * reached 17 GB resident and was killed on a 23 GB machine. Each batch measures the two runs of N
 * first, so that figure is printed before the larger run is tried.
 *
 * <p>Usage: {@code DiffusionModelBenchmark [exportDir|shape] [timedSteps] [batches]} (defaults:
 * shape, generated into target/bench-models on first use; 2 timed steps; batches 1,4). Lines {@code
 * RESULT <name> <value>} carry the figures for bin/bench.
 */
public final class DiffusionModelBenchmark {
  private static final int SIZE = 512;
  private static final int LATENT = SIZE / 8;
  private static final int CHANNELS = 4;
  private static final int EULER_STEPS = 20;

  /**
   * {@code -Ddiffusion.bench.arena=false} turns ONNX Runtime's CPU memory arena (and its memory
   * patterns) off: the arena keeps every chunk it grew to, which put batch 4 with the guidance
   * trick past the memory of a 23 GB machine.
   */
  private static final boolean ARENA =
      Boolean.parseBoolean(System.getProperty("diffusion.bench.arena", "true"));

  private DiffusionModelBenchmark() {}

  public static void main(String[] args) throws Exception {
    boolean shape = args.length == 0 || "shape".equals(args[0]);
    long start = System.nanoTime();
    System.out.printf("load average before: %s%n", loadAverage());
    Path dir =
        shape ? DiffusionShapeModel.write(Path.of("target", "bench-models")) : Path.of(args[0]);
    int timed = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int[] batches =
        args.length > 2
            ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
            : new int[] {1, 4};
    System.out.printf(
        "model: %s (%s), %d×%d, cores available: %d, ONNX Runtime default threads%n",
        dir,
        shape ? "SHAPE-FAITHFUL, random weights: real sizes, images are noise" : "export",
        SIZE,
        SIZE,
        Runtime.getRuntime().availableProcessors());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      if (!ARENA) {
        options.setCPUArenaAllocator(false);
        options.setMemoryPatternOptimization(false);
      }
      System.out.printf(
          "ONNX Runtime CPU memory arena: %s%n", ARENA ? "on (the service's default)" : "off");
      double text = textEncoder(env, options, dir);
      double vae = vaeDecoder(env, options, dir);
      double single = unetSingleRow(env, options, dir);
      long loadStart = System.nanoTime();
      try (DiffusionPipeline pipeline = DiffusionPipeline.load(dir, env, options, null)) {
        System.out.printf(
            "pipeline loaded in %.1f s (scheduler %s)%n",
            (System.nanoTime() - loadStart) / 1e9, pipeline.schedulerName());
        System.out.printf(
            "%nMEASURED through DiffusionPipeline: UNet step with guidance, %d timed after 1"
                + " warm-up (mean)%n",
            timed);
        System.out.println("batch  guidance         s/step   UNet steps/s   image-steps/s");
        double[][] step = new double[batches.length][2];
        for (int b = 0; b < batches.length; b++) {
          // Two runs of N first: the one batch of 2N needs twice the attention memory, and when
          // it does not fit (batch 4 on a 23 GB machine) the smaller figure is already printed.
          for (int mode : new int[] {1, 0}) {
            boolean batched = mode == 0;
            step[b][mode] = guidedStep(pipeline, batches[b], batched, timed);
            System.out.printf(
                "%5d  %-15s  %7.2f  %13.3f  %14.3f%n",
                batches[b],
                batched ? "one batch (2N)" : "two runs (N+N)",
                step[b][mode],
                1 / step[b][mode],
                batches[b] / step[b][mode]);
            System.out.printf(
                "RESULT diffusion.step.b%d.%s %.3f%n",
                batches[b], batched ? "batched" : "two-runs", step[b][mode]);
          }
        }
        printDerived(batches, step, text, vae, single);
      }
    }
    System.out.printf(
        "%ntotal %.0f s; load average after: %s%n",
        (System.nanoTime() - start) / 1e9, loadAverage());
  }

  private static void printDerived(
      int[] batches, double[][] step, double text, double vae, double single) {
    System.out.printf(
        "%nDERIVED seconds per 512×512 image (from the measured parts: text %.2f s, VAE %.2f s per"
            + " image, steps above)%n",
        text, vae);
    System.out.println(
        "batch  guidance         20 Euler steps (CFG)   1-step turbo/LCM   4-step turbo/LCM");
    for (int b = 0; b < batches.length; b++) {
      int n = batches[b];
      // Few-step models run without guidance: N rows per step, one of the two runs of N.
      double unguided = step[b][1] / 2;
      for (int mode = 0; mode < 2; mode++) {
        double euler = (text + EULER_STEPS * step[b][mode] + n * vae) / n;
        double turbo1 = (text + unguided + n * vae) / n;
        double turbo4 = (text + 4 * unguided + n * vae) / n;
        System.out.printf(
            "%5d  %-15s  %20.1f  %17.1f  %17.1f%n",
            n, mode == 0 ? "one batch (2N)" : "two runs (N+N)", euler, turbo1, turbo4);
        if (mode == 0) {
          System.out.printf("RESULT diffusion.image.euler20.b%d %.2f%n", n, euler);
          System.out.printf("RESULT diffusion.image.turbo4.b%d %.2f%n", n, turbo4);
        }
      }
    }
    System.out.printf(
        "(unguided step of N rows = half the measured two-run step; directly measured single row"
            + " without guidance: %.2f s)%n",
        single);
  }

  /** Mean seconds of the timed steps of a generation with guidance, cancelled before decoding. */
  private static double guidedStep(
      DiffusionPipeline pipeline, int candidates, boolean batched, int timed) throws OrtException {
    int steps = 1 + timed;
    long[] at = new long[steps + 1];
    DiffusionRequest request =
        DiffusionRequest.of("a photograph of an astronaut riding a horse")
            .withSize(SIZE, SIZE)
            .withSteps(steps)
            .withCandidates(candidates)
            .withBatchGuidance(batched);
    try (GenerationControl control = GenerationControl.unlimited()) {
      at[0] = System.nanoTime();
      try {
        pipeline.generate(
            request,
            control,
            (step, total) -> {
              at[step] = System.nanoTime();
              if (step == total) {
                control.cancel(); // the timed steps are done: skip the VAE
              }
            });
        throw new IllegalStateException("the generation was not stopped after its last step");
      } catch (GenerationStoppedException expected) {
        // cancelled after the last timed step, as intended
      }
    }
    return (at[steps] - at[1]) / 1e9 / timed;
  }

  /** Median seconds of the text encoder on the prompt and the negative prompt (2 rows). */
  private static double textEncoder(OrtEnvironment env, OrtSession.SessionOptions options, Path dir)
      throws OrtException, IOException {
    try (OrtSession session = open(env, options, dir.resolve("text_encoder/model.onnx"))) {
      int rows = 2;
      int tokens = 77;
      long[] shape = {rows, tokens};
      int[] ids = new int[rows * tokens];
      Arrays.fill(ids, 49407); // end/pad token
      ids[0] = 49406; // start token
      ids[tokens] = 49406;
      for (int i = 1; i < 9; i++) {
        ids[i] = 320 + i; // a few ordinary word tokens
      }
      boolean int32 = OrtTensors.inputType(session, "input_ids") == OnnxJavaType.INT32;
      double[] seconds = new double[4];
      for (int run = 0; run < seconds.length; run++) {
        long t = System.nanoTime();
        try (OnnxTensor input =
                int32
                    ? OnnxTensor.createTensor(env, IntBuffer.wrap(ids), shape)
                    : OnnxTensor.createTensor(
                        env, LongBuffer.wrap(Arrays.stream(ids).asLongStream().toArray()), shape);
            OrtSession.Result result = session.run(Map.of("input_ids", input))) {
          seconds[run] = (System.nanoTime() - t) / 1e9;
          if (run == 0) {
            report("text encoder", (OnnxTensor) result.get(0));
          }
        }
      }
      double median = median(Arrays.copyOfRange(seconds, 1, seconds.length));
      System.out.printf(
          "MEASURED text encoder, 2 rows × 77 tokens: %.3f s (median of 3 after 1 warm-up)%n",
          median);
      System.out.printf("RESULT diffusion.text-encoder %.3f%n", median);
      return median;
    }
  }

  /**
   * Seconds of one VAE decode of a 64×64 latent. One run only: it costs more than a UNet step, and
   * a second run measured no faster (81 s, then 100 s, at load 18 on 2 cores).
   */
  private static double vaeDecoder(OrtEnvironment env, OrtSession.SessionOptions options, Path dir)
      throws OrtException, IOException {
    try (OrtSession session = open(env, options, dir.resolve("vae_decoder/model.onnx"))) {
      float[] latent = gaussian(CHANNELS * LATENT * LATENT, 7, 1 / 0.18215);
      long t = System.nanoTime();
      try (OnnxTensor input =
              OnnxTensor.createTensor(
                  env, FloatBuffer.wrap(latent), new long[] {1, CHANNELS, LATENT, LATENT});
          OrtSession.Result result = session.run(Map.of("latent_sample", input))) {
        double seconds = (System.nanoTime() - t) / 1e9;
        report("VAE decoder", (OnnxTensor) result.get(0));
        System.out.printf(
            "MEASURED VAE decode, 1 image 512×512: %.2f s (one run, the session's first)%n",
            seconds);
        System.out.printf("RESULT diffusion.vae %.3f%n", seconds);
        return seconds;
      }
    }
  }

  /** Seconds of one UNet run of 1 row without guidance (second run), checking the output. */
  private static double unetSingleRow(
      OrtEnvironment env, OrtSession.SessionOptions options, Path dir)
      throws OrtException, IOException {
    try (OrtSession session = open(env, options, dir.resolve("unet/model.onnx"))) {
      long[] contextShape = OrtTensors.inputShape(session, "encoder_hidden_states");
      int width = (int) contextShape[2];
      float[] sample = gaussian(CHANNELS * LATENT * LATENT, 8, 1);
      float[] context = gaussian(77 * width, 9, 1);
      boolean floatTime = OrtTensors.inputType(session, "timestep") == OnnxJavaType.FLOAT;
      double[] seconds = new double[2];
      for (int run = 0; run < seconds.length; run++) {
        long t = System.nanoTime();
        try (OnnxTensor s =
                OnnxTensor.createTensor(
                    env, FloatBuffer.wrap(sample), new long[] {1, CHANNELS, LATENT, LATENT});
            OnnxTensor time =
                floatTime
                    ? OnnxTensor.createTensor(
                        env, FloatBuffer.wrap(new float[] {999}), new long[] {1})
                    : OnnxTensor.createTensor(
                        env, LongBuffer.wrap(new long[] {999}), new long[] {1});
            OnnxTensor c =
                OnnxTensor.createTensor(env, FloatBuffer.wrap(context), new long[] {1, 77, width});
            OrtSession.Result result =
                session.run(Map.of("sample", s, "timestep", time, "encoder_hidden_states", c))) {
          seconds[run] = (System.nanoTime() - t) / 1e9;
          if (run == 0) {
            report("UNet", (OnnxTensor) result.get(0));
          }
        }
      }
      System.out.printf(
          "MEASURED UNet, 1 row without guidance, 64×64 latent: %.2f s (warm-up run %.2f s)%n",
          seconds[1], seconds[0]);
      System.out.printf("RESULT diffusion.step.single-row %.3f%n", seconds[1]);
      return seconds[1];
    }
  }

  /** Prints the output's scale and refuses a non-finite one: random weights must stay finite. */
  private static void report(String graph, OnnxTensor output) throws OrtException {
    FloatBuffer values = output.getFloatBuffer();
    int n = values.remaining();
    double sumAbs = 0;
    double maxAbs = 0;
    for (int i = 0; i < n; i++) {
      float v = values.get(i);
      if (!Float.isFinite(v)) {
        throw new IllegalStateException(graph + " output has a non-finite value at " + i);
      }
      sumAbs += Math.abs(v);
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    System.out.printf(
        "  %s output %s finite: mean |x| %.3g, max |x| %.3g%n",
        graph, Arrays.toString(output.getInfo().getShape()), sumAbs / n, maxAbs);
  }

  private static OrtSession open(OrtEnvironment env, OrtSession.SessionOptions options, Path file)
      throws OrtException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("missing " + file);
    }
    return env.createSession(file.toString(), options);
  }

  private static float[] gaussian(int n, long seed, double scale) {
    Random random = new Random(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (random.nextGaussian() * scale);
    }
    return values;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
