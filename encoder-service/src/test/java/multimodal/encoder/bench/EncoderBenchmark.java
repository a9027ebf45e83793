package multimodal.encoder.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import multimodal.devkit.onnx.VitB32ClipFixture;
import multimodal.encoder.Vectors;
import multimodal.encoder.batching.DynamicBatcher;
import multimodal.encoder.inference.ClipModel;
import multimodal.encoder.inference.ClipTokenizer;
import multimodal.encoder.inference.Int8Graphs;
import multimodal.encoder.inference.ModelLoader;
import multimodal.encoder.inference.OrtSettings;
import multimodal.encoder.inference.Precision;
import multimodal.media.ImageLimits;

/**
 * Benchmark (a main, not a test) on the shape-faithful ViT-B/32 CLIP (random weights, real size):
 *
 * <ol>
 *   <li>raw {@code session.run} images/s and texts/s at batch 1, 8, 32;
 *   <li>the service path: 32 concurrent callers each decoding + preprocessing a PNG and submitting
 *       it to the {@link DynamicBatcher} (max batch 32) that runs {@link ClipModel} — images/s and
 *       the ratio to raw batch 32; the same for texts (tokenising included);
 *   <li>preprocessing ms/image (decode + Pillow-exact resize + crop + normalise).
 * </ol>
 *
 * gRPC end to end against the packaged service: {@link GrpcThroughputBenchmark}.
 *
 * <pre>
 * java -Xmx6g -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) \
 *   multimodal.encoder.bench.EncoderBenchmark target/bench-models [--raw-only]
 * </pre>
 *
 * The raw rows run the graphs as exported (fp32) and rewritten to int8 ({@link Int8Graphs}), with
 * the int8 fidelity (cosine to fp32); {@code --raw-only} stops after them. Lines starting with
 * {@code RESULT} carry one figure each for {@code bin/bench}. {@code --preprocess-only} times only
 * the preprocessing of each shared photograph.
 */
public final class EncoderBenchmark {
  private static final int[] BATCHES = {1, 8, 32};
  private static final String SENTENCE = "a photo of a cat sitting on a red sofa";

  public static void main(String[] args) throws Exception {
    Path outDir = Path.of(args.length > 0 ? args[0] : "target/bench-models");
    List<String> flags = Arrays.asList(args);
    boolean rawOnly = flags.contains("--raw-only");
    boolean preprocessOnly = flags.contains("--preprocess-only");
    // The service path and its ratios run at this precision (the service's own default).
    Precision servicePrecision = Precision.parse(System.getProperty("bench.precision", "int8"));
    Path dir = VitB32ClipFixture.write(outDir);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    System.out.printf(
        "model %s, %d cores, intra-op threads: %s, spinning %s%n",
        dir,
        Runtime.getRuntime().availableProcessors(),
        intraOpThreads(),
        Boolean.getBoolean("bench.no-spinning") ? "off" : "on");

    long[] sentence;
    try (ClipTokenizer tokenizer =
        ClipTokenizer.load(dir.resolve("tokenizer.json"), Optional.empty())) {
      sentence = tokenizer.tokenize(List.of(SENTENCE)).get(0).ids();
    }
    System.out.printf(
        "text rows: \"%s\", %d tokens with the start and end tokens%n", SENTENCE, sentence.length);
    double rawImages32 = 0;
    double rawTexts32 = 0;
    if (!preprocessOnly) {
      double[][] fp32 = rawRows(env, dir, sentence, Precision.FP32);
      double[][] int8 = rawRows(env, dir, sentence, Precision.INT8);
      for (int i = 0; i < BATCHES.length; i++) {
        System.out.printf(
            "raw session.run batch %2d: fp32 %7.1f images/s %7.1f texts/s | int8 %7.1f images/s"
                + " %7.1f texts/s%n",
            BATCHES[i], fp32[0][i], fp32[1][i], int8[0][i], int8[1][i]);
      }
      for (int i = 0; i < BATCHES.length; i++) {
        // One line per figure, for bin/bench to read.
        System.out.printf("RESULT encoder.images.fp32.b%d %.2f%n", BATCHES[i], fp32[0][i]);
        System.out.printf("RESULT encoder.texts.fp32.b%d %.2f%n", BATCHES[i], fp32[1][i]);
        System.out.printf("RESULT encoder.images.int8.b%d %.2f%n", BATCHES[i], int8[0][i]);
        System.out.printf("RESULT encoder.texts.int8.b%d %.2f%n", BATCHES[i], int8[1][i]);
      }
      double[][] served = servicePrecision == Precision.INT8 ? int8 : fp32;
      rawImages32 = served[0][BATCHES.length - 1];
      rawTexts32 = served[1][BATCHES.length - 1];
      if (rawOnly) {
        return;
      }
    }

    ModelLoader loader =
        new ModelLoader(
            env,
            new OrtSettings(0, 1, "all", "cpu", 0, !Boolean.getBoolean("bench.no-spinning")),
            new ImageLimits(16 << 20, 40_000_000));
    try (ClipModel model =
        (ClipModel) loader.load("clip", dir, Optional.empty(), servicePrecision)) {
      if (preprocessOnly) {
        preprocessEachPhoto(model);
        return;
      }
      byte[] png = Files.readAllBytes(Path.of("..", "testdata", "images", "chelsea.png"));
      List<byte[]> images = new ArrayList<>();
      for (String name :
          List.of(
              "astronaut.png",
              "chelsea.png",
              "coffee.png",
              "rocket.jpg",
              "hubble_deep_field.jpg")) {
        images.add(Files.readAllBytes(Path.of("..", "testdata", "images", name)));
      }
      int n = 0;
      long start = System.nanoTime();
      while (System.nanoTime() - start < 3_000_000_000L) {
        model.preprocess(images.get(n % images.size()), "bench");
        n++;
      }
      System.out.printf(
          "preprocessing (decode + resize + crop + normalise, testdata mix): %.2f ms/image%n",
          (System.nanoTime() - start) / 1e6 / n);

      Duration maxDelay = Duration.ofMillis(Long.getLong("bench.max-delay-ms", 5));
      BatchSizes imageSizes = new BatchSizes();
      BatchSizes textSizes = new BatchSizes();
      try (DynamicBatcher<float[], float[]> imageBatcher =
              new DynamicBatcher<>(
                  "bench-image",
                  32,
                  maxDelay,
                  1024,
                  1,
                  inputs -> Arrays.asList(model.embedPixels(inputs)),
                  imageSizes);
          DynamicBatcher<String, float[]> textBatcher =
              new DynamicBatcher<>(
                  "bench-text",
                  32,
                  maxDelay,
                  1024,
                  1,
                  inputs -> Arrays.asList(model.embedTexts(inputs)),
                  textSizes)) {
        double serviceImages =
            concurrentRate(
                32,
                () ->
                    imageBatcher
                        .submit(List.of(model.preprocess(png, "bench")), Long.MAX_VALUE)
                        .get(0)
                        .join());
        double serviceTexts =
            concurrentRate(
                32,
                () ->
                    textBatcher
                        .submit(List.of("a photo of a cat sitting on a red sofa"), Long.MAX_VALUE)
                        .get(0)
                        .join());
        System.out.printf(
            "service path, %s (32 callers, batcher max 32, max delay %d ms): %7.1f images/s (ratio"
                + " to raw batch 32: %.2f; mean batch %.1f)%n",
            servicePrecision,
            maxDelay.toMillis(),
            serviceImages,
            serviceImages / rawImages32,
            imageSizes.mean());
        System.out.printf(
            "service path, %s (32 callers, batcher max 32, max delay %d ms): %7.1f texts/s  (ratio"
                + " to raw batch 32: %.2f; mean batch %.1f)%n",
            servicePrecision,
            maxDelay.toMillis(),
            serviceTexts,
            serviceTexts / rawTexts32,
            textSizes.mean());
      }
    }
  }

  /**
   * Images/s ([0]) and texts/s ([1]) of bare {@code session.run} at each of {@link #BATCHES}, the
   * graphs at {@code precision}; for int8 also the cosine of int8 to fp32 embeddings of a random
   * batch (the fidelity figure).
   */
  private static double[][] rawRows(
      OrtEnvironment env, Path dir, long[] sentence, Precision precision) throws Exception {
    double[][] rates = new double[2][BATCHES.length];
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (Boolean.getBoolean("bench.no-spinning")) {
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
      }
      options.setIntraOpNumThreads(intraOpThreads());
      try (OrtSession vision =
              session(env, dir.resolve("onnx/vision_model.onnx"), precision, options);
          OrtSession text = session(env, dir.resolve("onnx/text_model.onnx"), precision, options)) {
        if (precision == Precision.INT8) {
          printFidelity(env, dir, vision, text, sentence, options);
        }
        for (int i = 0; i < BATCHES.length; i++) {
          int batch = BATCHES[i];
          rates[0][i] = rawRate(() -> runVision(env, vision, batch), batch);
          rates[1][i] = rawRate(() -> runText(env, text, sentence, batch), batch);
        }
      }
    }
    return rates;
  }

  private static OrtSession session(
      OrtEnvironment env, Path graph, Precision precision, OrtSession.SessionOptions options)
      throws Exception {
    if (precision == Precision.INT8) {
      return env.createSession(Int8Graphs.quantize(graph).orElseThrow(), options);
    }
    return env.createSession(graph.toString(), options);
  }

  /** Lowest cosine between the int8 and the fp32 towers' embeddings of 8 random inputs each. */
  private static void printFidelity(
      OrtEnvironment env,
      Path dir,
      OrtSession visionInt8,
      OrtSession textInt8,
      long[] sentence,
      OrtSession.SessionOptions options)
      throws Exception {
    SplittableRandom random = new SplittableRandom(17);
    float[] pixels = new float[8 * 3 * 224 * 224];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) (random.nextDouble() * 4 - 2);
    }
    long[] ids = new long[8 * sentence.length];
    for (int row = 0; row < 8; row++) {
      ids[row * sentence.length] = sentence[0];
      for (int t = 1; t < sentence.length - 1; t++) {
        ids[row * sentence.length + t] = 1 + random.nextInt(49000);
      }
      ids[row * sentence.length + sentence.length - 1] = sentence[sentence.length - 1];
    }
    double images;
    double texts;
    try (OrtSession vision =
            env.createSession(dir.resolve("onnx/vision_model.onnx").toString(), options);
        OrtSession text =
            env.createSession(dir.resolve("onnx/text_model.onnx").toString(), options)) {
      images =
          minCosine(
              embed(env, vision, "pixel_values", pixels, "image_embeds"),
              embed(env, visionInt8, "pixel_values", pixels, "image_embeds"));
      texts =
          minCosine(
              embedIds(env, text, ids, sentence.length),
              embedIds(env, textInt8, ids, sentence.length));
    }
    System.out.printf(
        "int8 fidelity (lowest cosine to fp32 over 8 random inputs): images %.4f, texts %.4f%n",
        images, texts);
    System.out.printf(
        "RESULT encoder.fidelity.images %.4f%nRESULT encoder.fidelity.texts %.4f%n", images, texts);
  }

  private static float[][] embed(
      OrtEnvironment env, OrtSession session, String input, float[] pixels, String output)
      throws Exception {
    try (OnnxTensor tensor =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {8, 3, 224, 224});
        OrtSession.Result result = session.run(Map.of(input, tensor), Set.of(output))) {
      return (float[][]) result.get(0).getValue();
    }
  }

  private static float[][] embedIds(OrtEnvironment env, OrtSession session, long[] ids, int length)
      throws Exception {
    try (OnnxTensor tensor =
            OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {8, length});
        OrtSession.Result result =
            session.run(Map.of("input_ids", tensor), Set.of("text_embeds"))) {
      return (float[][]) result.get(0).getValue();
    }
  }

  private static double minCosine(float[][] a, float[][] b) {
    double min = 1;
    for (int i = 0; i < a.length; i++) {
      min = Math.min(min, Vectors.cosine(a[i], b[i]));
    }
    return min;
  }

  /**
   * ms/image of decode + resize + crop + normalise for each of the ten shared photographs (best of
   * three ~1 s passes), and their mean, through the encoder's own preprocessor; media's {@code
   * PreprocessBenchmark} times the same steps against Pillow (what {@code bin/bench preprocess}
   * runs).
   */
  private static void preprocessEachPhoto(ClipModel model) throws Exception {
    List<Path> files;
    try (var list = Files.list(Path.of("..", "testdata", "images"))) {
      files = list.sorted().toList();
    }
    double sum = 0;
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      double best = Double.MAX_VALUE;
      for (int pass = 0; pass < 3; pass++) {
        int n = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < 1_000_000_000L || n < 2) {
          model.preprocess(bytes, "bench");
          n++;
        }
        best = Math.min(best, (System.nanoTime() - start) / 1e6 / n);
      }
      System.out.printf("preprocess %-24s %8.2f ms/image%n", file.getFileName(), best);
      sum += best;
    }
    System.out.printf("RESULT preprocess.java.ms %.3f%n", sum / files.size());
  }

  /** Mean size of the batches a batcher ran (warm-up included). */
  private static final class BatchSizes implements DynamicBatcher.BatchListener {
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong items = new AtomicLong();

    @Override
    public void batch(int size, long[] queueNanos, long runNanos) {
      batches.incrementAndGet();
      items.addAndGet(size);
    }

    @Override
    public void expired(int count) {}

    double mean() {
      return items.get() / (double) Math.max(1, batches.get());
    }
  }

  @FunctionalInterface
  interface Task {
    void run() throws Exception;
  }

  /** Items per second of {@code task} (which handles {@code items}), after a warm-up, over ~5 s. */
  private static double rawRate(Task task, int items) throws Exception {
    for (int i = 0; i < 2; i++) {
      task.run();
    }
    int runs = 0;
    long start = System.nanoTime();
    while (System.nanoTime() - start < 5_000_000_000L || runs < 3) {
      task.run();
      runs++;
    }
    return runs * (double) items / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * {@code -Dbench.intra-op-threads}, else what the service runs with by default: the JVM's
   * processors ({@code OrtSettings.intraOpThreadsToUse}).
   */
  private static int intraOpThreads() {
    return Integer.getInteger("bench.intra-op-threads", Runtime.getRuntime().availableProcessors());
  }

  /** Completed calls per second with {@code clients} threads calling {@code task} for ~8 s. */
  private static double concurrentRate(int clients, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      for (Future<?> f : submitAll(pool, clients, task, 2_000_000_000L, new AtomicLong())) {
        f.get(); // warm-up
      }
      AtomicLong done = new AtomicLong();
      long start = System.nanoTime();
      for (Future<?> f : submitAll(pool, clients, task, 8_000_000_000L, done)) {
        f.get();
      }
      return done.get() / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Future<?>> submitAll(
      ExecutorService pool, int clients, Task task, long nanos, AtomicLong done) {
    long until = System.nanoTime() + nanos;
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      futures.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < until) {
                  task.run();
                  done.incrementAndGet();
                }
                return null;
              }));
    }
    return futures;
  }

  private static void runVision(OrtEnvironment env, OrtSession session, int batch)
      throws Exception {
    float[] pixels = new float[batch * 3 * 224 * 224];
    try (OnnxTensor input =
            OnnxTensor.createTensor(
                env, FloatBuffer.wrap(pixels), new long[] {batch, 3, 224, 224});
        OrtSession.Result result =
            session.run(Map.of("pixel_values", input), Set.of("image_embeds"))) {
      result.get(0);
    }
  }

  /**
   * The sentence's own token ids, batched: the raw rows feed exactly what the service path
   * tokenises.
   */
  private static void runText(OrtEnvironment env, OrtSession session, long[] sentence, int batch)
      throws Exception {
    long[] ids = new long[batch * sentence.length];
    for (int row = 0; row < batch; row++) {
      System.arraycopy(sentence, 0, ids, row * sentence.length, sentence.length);
    }
    try (OnnxTensor input =
            OnnxTensor.createTensor(
                env, LongBuffer.wrap(ids), new long[] {batch, sentence.length});
        OrtSession.Result result = session.run(Map.of("input_ids", input), Set.of("text_embeds"))) {
      result.get(0);
    }
  }

  private EncoderBenchmark() {}
}
