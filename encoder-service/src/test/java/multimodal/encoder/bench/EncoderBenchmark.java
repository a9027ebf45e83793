package multimodal.encoder.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import multimodal.devkit.onnx.VitB32ClipFixture;
import multimodal.encoder.batching.DynamicBatcher;
import multimodal.encoder.inference.ClipModel;
import multimodal.encoder.inference.ClipTokenizer;
import multimodal.encoder.inference.ModelLoader;
import multimodal.encoder.inference.OrtSettings;
import multimodal.media.ImageLimits;
import multimodal.v1.EncodeImagesRequest;
import multimodal.v1.EncoderServiceGrpc;
import multimodal.v1.ImageSource;

/**
 * Benchmark (a main, not a test) on the shape-faithful ViT-B/32 CLIP (random weights, real size):
 *
 * <ol>
 *   <li>raw {@code session.run} images/s and texts/s at batch 1, 8, 32;
 *   <li>the service path: 32 concurrent callers each decoding + preprocessing a PNG and submitting
 *       it to the {@link DynamicBatcher} (max batch 32) that runs {@link ClipModel} — images/s and
 *       the ratio to raw batch 32; the same for texts (tokenising included);
 *   <li>preprocessing ms/image (decode + Pillow-exact resize + crop + normalise);
 *   <li>with {@code --grpc host:port} of a running encoder-service (started with {@code
 *       encoder.models.clip.dir} at the generated model): EncodeImages throughput with 1 and 32
 *       concurrent clients.
 * </ol>
 *
 * <pre>
 * java -Xmx6g -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) \
 *   multimodal.encoder.bench.EncoderBenchmark target/bench-models [--grpc 127.0.0.1:8081]
 * </pre>
 */
public final class EncoderBenchmark {
  private static final int[] BATCHES = {1, 8, 32};
  private static final String SENTENCE = "a photo of a cat sitting on a red sofa";

  public static void main(String[] args) throws Exception {
    Path outDir = Path.of(args.length > 0 ? args[0] : "target/bench-models");
    String grpc = args.length > 2 && args[1].equals("--grpc") ? args[2] : null;
    Path dir = VitB32ClipFixture.write(outDir);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    System.out.printf(
        "model %s, %d cores, intra-op threads: ORT default, spinning %s%n",
        dir,
        Runtime.getRuntime().availableProcessors(),
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
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (Boolean.getBoolean("bench.no-spinning")) {
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
      }
      try (OrtSession vision =
              env.createSession(dir.resolve("onnx/vision_model.onnx").toString(), options);
          OrtSession text =
              env.createSession(dir.resolve("onnx/text_model.onnx").toString(), options)) {
        for (int batch : BATCHES) {
          double images = rawRate(() -> runVision(env, vision, batch), batch);
          double texts = rawRate(() -> runText(env, text, sentence, batch), batch);
          System.out.printf(
              "raw session.run batch %2d: %7.1f images/s  %7.1f texts/s%n", batch, images, texts);
          if (batch == 32) {
            rawImages32 = images;
            rawTexts32 = texts;
          }
        }
      }
    }

    ModelLoader loader =
        new ModelLoader(
            env,
            new OrtSettings(0, 1, "all", "cpu", 0, !Boolean.getBoolean("bench.no-spinning")),
            new ImageLimits(16 << 20, 40_000_000));
    try (ClipModel model = (ClipModel) loader.load("clip", dir, Optional.empty())) {
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
            "service path (32 callers, batcher max 32, max delay %d ms): %7.1f images/s (ratio to"
                + " raw batch 32: %.2f; mean batch %.1f)%n",
            maxDelay.toMillis(), serviceImages, serviceImages / rawImages32, imageSizes.mean());
        System.out.printf(
            "service path (32 callers, batcher max 32, max delay %d ms): %7.1f texts/s  (ratio to"
                + " raw batch 32: %.2f; mean batch %.1f)%n",
            maxDelay.toMillis(), serviceTexts, serviceTexts / rawTexts32, textSizes.mean());
      }
    }

    if (grpc != null) {
      String[] hostPort = grpc.split(":");
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1]))
              .usePlaintext()
              .build();
      try {
        EncoderServiceGrpc.EncoderServiceBlockingStub stub =
            EncoderServiceGrpc.newBlockingStub(channel);
        EncodeImagesRequest request =
            EncodeImagesRequest.newBuilder()
                .addImages(
                    ImageSource.newBuilder()
                        .setData(
                            ByteString.copyFrom(
                                Files.readAllBytes(
                                    Path.of("..", "testdata", "images", "chelsea.png")))))
                .build();
        Task call = () -> stub.withDeadlineAfter(60, TimeUnit.SECONDS).encodeImages(request);
        double one = concurrentRate(1, call);
        double many = concurrentRate(32, call);
        System.out.printf(
            "gRPC EncodeImages (1 image/request): 1 client %.1f images/s, 32 clients %.1f images/s"
                + " (%.1fx)%n",
            one, many, many / one);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
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
