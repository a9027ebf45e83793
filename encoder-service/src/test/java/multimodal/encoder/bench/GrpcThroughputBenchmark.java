package multimodal.encoder.bench;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import multimodal.devkit.onnx.VitB32ClipFixture;
import multimodal.encoder.inference.ClipModel;
import multimodal.encoder.inference.DctScalingFidelity;
import multimodal.encoder.inference.ModelLoader;
import multimodal.encoder.inference.OrtSettings;
import multimodal.encoder.inference.Precision;
import multimodal.media.ImageLimits;
import multimodal.v1.EncodeImagesRequest;
import multimodal.v1.EncoderServiceGrpc;
import multimodal.v1.ImageSource;

/**
 * gRPC end to end against raw ONNX Runtime, in one run (a main, not a test), on the shape-faithful
 * ViT-B/32 CLIP in the service's precision (int8) and ONNX Runtime settings:
 *
 * <ol>
 *   <li>raw: the model's own session at batch 32 ({@code ClipModel.embedPixels} on 32 photographs
 *       preprocessed beforehand), and the same with each batch's decoding and preprocessing done
 *       first on the same thread (raw including preprocessing);
 *   <li>gRPC: the packaged service ({@code quarkus-run.jar}) started on 127.0.0.1 with the same
 *       model, {@code clients} concurrent clients each sending one photograph's encoded bytes per
 *       {@code EncodeImages} call ({@link ClosedLoop}: each keeps one call in flight, asynchronous
 *       on one channel, so the load generator costs the shared cores as little as it can), round
 *       robin over the shared photographs ({@code testdata/images}, byte-for-byte the ones in
 *       shared/data/images);
 *   <li>the same service again with {@code encoder.images.jpeg-dct-scaling=true} (large JPEGs
 *       decoded at 1/2..1/8 by libjpeg-turbo); then with clients that send each photograph resized
 *       and cropped to the model's input beforehand, as lossless PNGs of the very pixels the
 *       service would compute ({@link ModelSizedImages}: the same embeddings, checked, without a
 *       photograph to decode); and once more per {@code --extra "label:-Dsetting=value ..."};
 *   <li>raw again, after the service has stopped: the ratio's denominator is the mean of both raw
 *       runs, so a change of the machine's load during the run shows as their spread; then two
 *       batches of 16 at once with one intra-op thread each, the most the service's default split
 *       of the cores (two batch workers) could get from ONNX Runtime, printed beside the ratio;
 *   <li>DCT scaling's fidelity: the cosine between the exact and the DCT-scaled embedding of each
 *       photograph (and of two large JPEGs made from one), on the same int8 model.
 * </ol>
 *
 * <p>The service's JVM gets {@code --add-modules=jdk.incubator.vector
 * --enable-native-access=ALL-UNNAMED}, as bin/platform, the images and k8s start it; run this main
 * with the same options so that raw preprocessing uses the same resampler.
 *
 * <p>Besides the rates it prints where the service's time went: CPU seconds per image (the
 * service's process and this client), the batches' mean size, queue wait and run time from the
 * service's {@code /q/metrics}, and the calls' latency. Lines starting with {@code RESULT} carry
 * one figure each for {@code bin/bench grpc}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx3g \
 *   -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) \
 *   multimodal.encoder.bench.GrpcThroughputBenchmark target/bench-models \
 *   [--jar target/quarkus-app/quarkus-run.jar] [--clients 32] [--seconds 30] [--images ../testdata/images] \
 *   [--service-jvm "-Xmx3g -XX:StartFlightRecording=filename=target/grpc.jfr"] \
 *   [--warm-up 20] [--extra "delay50:-Dencoder.batching.max-delay=50ms"]
 * </pre>
 */
public final class GrpcThroughputBenchmark {
  private static final int RAW_BATCH = 32;

  public static void main(String[] args) throws Exception {
    Path outDir =
        Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : "target/bench-models");
    List<String> flags = Arrays.asList(args);
    Path jar = Path.of(flag(flags, "--jar", "target/quarkus-app/quarkus-run.jar"));
    int clients = Integer.parseInt(flag(flags, "--clients", "32"));
    Duration window = Duration.ofSeconds(Long.parseLong(flag(flags, "--seconds", "30")));
    Path imagesDir = Path.of(flag(flags, "--images", "../testdata/images"));
    // The service's JVM as bin/platform, the images and k8s start it: without the Vector API
    // module media's resampler falls back to its scalar passes.
    List<String> serviceJvm =
        List.of(
            flag(
                    flags,
                    "--service-jvm",
                    "-Xmx3g --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED")
                .trim()
                .split("\\s+"));

    Path dir = VitB32ClipFixture.write(outDir);
    List<Path> files;
    try (var list = Files.list(imagesDir)) {
      files = list.filter(Files::isRegularFile).sorted().toList();
    }
    List<byte[]> images = new ArrayList<>();
    for (Path file : files) {
      images.add(Files.readAllBytes(file));
    }
    System.out.printf(
        "model %s (int8, the service's ONNX Runtime settings), %d cores, load average %s; %d"
            + " images from %s (%s)%n",
        dir,
        Runtime.getRuntime().availableProcessors(),
        loadAverage(),
        images.size(),
        imagesDir,
        String.join(", ", files.stream().map(f -> f.getFileName().toString()).toList()));

    // Warm-up before each service's measurement: every client's first calls, the batcher's first
    // batches and the JIT's compilation of the request path (still 4 ms of CPU per image after
    // 10 s at load 20).
    Duration warmUp =
        Duration.ofSeconds(
            Long.parseLong(
                flag(flags, "--warm-up", String.valueOf(Math.max(20, window.toSeconds() / 2)))));
    Calls calls = new Calls(clients, warmUp, window);
    Raw before = raw(dir, images, window);
    Served served = grpc(jar, dir, images, calls, serviceJvm, outDir, "exact decoding");
    List<String> dctJvm = new ArrayList<>(serviceJvm);
    dctJvm.add("-Dencoder.images.jpeg-dct-scaling=true");
    Served dct = grpc(jar, dir, images, calls, dctJvm, outDir, "JPEG DCT scaling");
    // Clients that resize to the model's input before sending (the same pixels, losslessly): what
    // the service costs beyond the model when it need not decode a photograph.
    List<byte[]> modelSized = ModelSizedImages.of(images, dir);
    double sizedDifference = modelSizedDifference(dir, images, modelSized);
    Served sized =
        grpc(jar, dir, modelSized, calls, serviceJvm, outDir, "model-sized images from clients");
    // --extra "label:-Dsome.setting=value ...": one more service run per flag, e.g. to try a
    // batching setting against the default in the same run.
    Map<String, Double> extras = new java.util.LinkedHashMap<>();
    for (String extra : flagValues(flags, "--extra")) {
      String[] spec = extra.split(":", 2);
      if (spec.length != 2 || spec[0].isBlank()) {
        throw new IllegalArgumentException(
            "--extra takes \"label:-Dsetting=value ...\", got \"" + extra + "\"");
      }
      List<String> jvm = new ArrayList<>(serviceJvm);
      jvm.addAll(List.of(spec[1].trim().split("\\s+")));
      extras.put(spec[0], grpc(jar, dir, images, calls, jvm, outDir, spec[0]).imagesPerSecond);
    }
    Raw after = raw(dir, images, window);
    // The ceiling of the service's own split: its two batch workers' worth of ONNX Runtime, two
    // batches of 16 at once on one thread each, without decoding or gRPC.
    double rawTwoAtOnce = rawTwoAtOnce(dir, images, window);

    double raw = (before.imagesPerSecond + after.imagesPerSecond) / 2;
    double rawWithPreprocessing =
        (before.withPreprocessingPerSecond + after.withPreprocessingPerSecond) / 2;
    System.out.printf(
        "raw batch %d: %.2f images/s before, %.2f after (mean %.2f); including decode +"
            + " preprocessing on the same thread: %.2f / %.2f (mean %.2f); preprocessing %.1f /"
            + " %.1f ms/image%n",
        RAW_BATCH,
        before.imagesPerSecond,
        after.imagesPerSecond,
        raw,
        before.withPreprocessingPerSecond,
        after.withPreprocessingPerSecond,
        rawWithPreprocessing,
        before.preprocessMillis,
        after.preprocessMillis);
    System.out.printf(
        "raw CPU per image: %.1f ms (inference), %.1f ms (with preprocessing)%n",
        (before.cpuMillisPerImage + after.cpuMillisPerImage) / 2,
        (before.cpuMillisPerImageWithPreprocessing + after.cpuMillisPerImageWithPreprocessing) / 2);
    System.out.printf(
        "gRPC %d clients: %.2f images/s = %.2f x raw batch %d, %.2f x raw including"
            + " preprocessing; load average %s%n",
        clients,
        served.imagesPerSecond,
        served.imagesPerSecond / raw,
        RAW_BATCH,
        served.imagesPerSecond / rawWithPreprocessing,
        loadAverage());
    System.out.printf(
        "gRPC %d clients: %.2f x raw two batches of %d at once (%.2f images/s, one intra-op thread"
            + " each, as the service's two workers run)%n",
        clients, served.imagesPerSecond / rawTwoAtOnce, RAW_BATCH / 2, rawTwoAtOnce);
    System.out.printf(
        "gRPC %d clients, encoder.images.jpeg-dct-scaling=true: %.2f images/s = %.2f x raw batch"
            + " %d, %.2f x raw including (exact) preprocessing%n",
        clients,
        dct.imagesPerSecond,
        dct.imagesPerSecond / raw,
        RAW_BATCH,
        dct.imagesPerSecond / rawWithPreprocessing);
    System.out.printf(
        "gRPC %d clients sending model-sized images (PNGs of the crop the service computes;"
            + " largest pixel-value difference to the originals %.2g): %.2f images/s = %.2f x raw"
            + " batch %d%n",
        clients, sizedDifference, sized.imagesPerSecond, sized.imagesPerSecond / raw, RAW_BATCH);
    extras.forEach(
        (label, rate) ->
            System.out.printf(
                "gRPC %d clients, %s: %.2f images/s = %.2f x raw batch %d%n",
                clients, label, rate, rate / raw, RAW_BATCH));
    double fidelity = dctFidelity(dir, imagesDir);
    System.out.printf("RESULT grpc.raw.b32 %.2f%n", raw);
    System.out.printf("RESULT grpc.raw.b32.preprocessed %.2f%n", rawWithPreprocessing);
    System.out.printf("RESULT grpc.raw.two-at-once %.2f%n", rawTwoAtOnce);
    System.out.printf("RESULT grpc.clients%d %.2f%n", clients, served.imagesPerSecond);
    System.out.printf("RESULT grpc.clients%d.dct %.2f%n", clients, dct.imagesPerSecond);
    System.out.printf("RESULT grpc.dct.fidelity %.4f%n", fidelity);
    System.out.printf("RESULT grpc.clients%d.model-sized %.2f%n", clients, sized.imagesPerSecond);
    System.out.printf("RESULT grpc.model-sized.difference %.3g%n", sizedDifference);
    extras.forEach(
        (label, rate) ->
            System.out.printf("RESULT grpc.clients%d.%s %.2f%n", clients, label, rate));
  }

  /**
   * Prints the cosine between the exact and the DCT-scaled embedding of each photograph (and of two
   * large JPEGs made from one) on the int8 model; returns the lowest.
   */
  private static double dctFidelity(Path dir, Path imagesDir) throws Exception {
    Map<String, Double> cosines =
        DctScalingFidelity.cosines(
            dir, Precision.INT8, DctScalingFidelity.photographsAndLargeJpegs(imagesDir));
    StringBuilder line = new StringBuilder();
    cosines.forEach(
        (image, cosine) ->
            line.append(line.isEmpty() ? "" : ", ")
                .append(String.format("%s %.5f", image, cosine)));
    System.out.printf("JPEG DCT scaling, cosine to exact decoding (int8): %s%n", line);
    return cosines.values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  /** The largest pixel-value difference between the photographs and their model-sized PNGs. */
  private static double modelSizedDifference(Path dir, List<byte[]> images, List<byte[]> sized)
      throws Exception {
    try (ClipModel model = loadInt8(dir)) {
      return ModelSizedImages.largestDifference(model, images, sized);
    }
  }

  /** The model in int8 with the service's ONNX Runtime settings. */
  private static ClipModel loadInt8(Path dir) throws Exception {
    ModelLoader loader =
        new ModelLoader(
            ai.onnxruntime.OrtEnvironment.getEnvironment(),
            // the service's defaults: ORT's thread count, no spinning (application.properties)
            new OrtSettings(0, 1, "all", "cpu", 0, false),
            new ImageLimits(16 << 20, 40_000_000));
    return (ClipModel) loader.load("clip", dir, Optional.empty(), Precision.INT8);
  }

  /** Images/s of raw inference at batch 32, without and with the batch's preprocessing. */
  private record Raw(
      double imagesPerSecond,
      double withPreprocessingPerSecond,
      double preprocessMillis,
      double cpuMillisPerImage,
      double cpuMillisPerImageWithPreprocessing) {}

  private record Served(double imagesPerSecond) {}

  /** How each service run is driven: concurrent clients, warm-up, then the measured window. */
  private record Calls(int clients, Duration warmUp, Duration window) {}

  private static Raw raw(Path dir, List<byte[]> images, Duration window) throws Exception {
    try (ClipModel model = loadInt8(dir)) {
      List<float[]> batch = new ArrayList<>(RAW_BATCH);
      for (int i = 0; i < RAW_BATCH; i++) {
        batch.add(model.preprocess(images.get(i % images.size()), "bench"));
      }
      model.embedPixels(batch); // warm-up
      ThreadCpu threads0 = ThreadCpu.of(ProcessHandle.current().pid());
      long cpu0 = processCpuNanos();
      long start = System.nanoTime();
      long items = 0;
      while (System.nanoTime() - start < window.toNanos() / 2 || items < 2 * RAW_BATCH) {
        model.embedPixels(batch);
        items += RAW_BATCH;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double rate = items / seconds;
      double cpuPerImage = (processCpuNanos() - cpu0) / 1e6 / items;
      System.out.printf(
          "raw CPU ms/image by thread: %s%n",
          perItem(ThreadCpu.of(ProcessHandle.current().pid()).since(threads0), items));

      long preprocessNanos = 0;
      cpu0 = processCpuNanos();
      start = System.nanoTime();
      items = 0;
      while (System.nanoTime() - start < window.toNanos() / 2 || items < 2 * RAW_BATCH) {
        long p = System.nanoTime();
        List<float[]> fresh = new ArrayList<>(RAW_BATCH);
        for (int i = 0; i < RAW_BATCH; i++) {
          fresh.add(model.preprocess(images.get((int) ((items + i) % images.size())), "bench"));
        }
        preprocessNanos += System.nanoTime() - p;
        model.embedPixels(fresh);
        items += RAW_BATCH;
      }
      double withPreprocessing = items / ((System.nanoTime() - start) / 1e9);
      double cpuWithPreprocessing = (processCpuNanos() - cpu0) / 1e6 / items;
      System.out.printf(
          "raw batch %d: %.2f images/s (%.1f CPU ms/image); with preprocessing %.2f images/s"
              + " (%.1f ms/image of it preprocessing; %.1f CPU ms/image); load average %s%n",
          RAW_BATCH,
          rate,
          cpuPerImage,
          withPreprocessing,
          preprocessNanos / 1e6 / items,
          cpuWithPreprocessing,
          loadAverage());
      return new Raw(
          rate,
          withPreprocessing,
          preprocessNanos / 1e6 / items,
          cpuPerImage,
          cpuWithPreprocessing);
    }
  }

  /**
   * Images/s of two threads each running batches of 16 on one session with one intra-op thread per
   * run (the service's default split on two cores: {@code OrtSettings.sharedBy(2)}).
   */
  private static double rawTwoAtOnce(Path dir, List<byte[]> images, Duration window)
      throws Exception {
    ModelLoader loader =
        new ModelLoader(
            ai.onnxruntime.OrtEnvironment.getEnvironment(),
            new OrtSettings(0, 1, "all", "cpu", 0, false).sharedBy(2),
            new ImageLimits(16 << 20, 40_000_000));
    try (ClipModel model = (ClipModel) loader.load("clip", dir, Optional.empty(), Precision.INT8)) {
      List<float[]> batch = new ArrayList<>(RAW_BATCH / 2);
      for (int i = 0; i < RAW_BATCH / 2; i++) {
        batch.add(model.preprocess(images.get(i % images.size()), "bench"));
      }
      model.embedPixels(batch); // warm-up
      java.util.concurrent.atomic.AtomicLong items = new java.util.concurrent.atomic.AtomicLong();
      long start = System.nanoTime();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        Thread thread =
            new Thread(
                () -> {
                  try {
                    while (System.nanoTime() - start < window.toNanos() / 2) {
                      model.embedPixels(batch);
                      items.addAndGet(batch.size());
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        thread.start();
        threads.add(thread);
      }
      for (Thread thread : threads) {
        thread.join();
      }
      double rate = items.get() / ((System.nanoTime() - start) / 1e9);
      System.out.printf(
          "raw, two batches of %d at once (one intra-op thread each): %.2f images/s; load average"
              + " %s%n",
          RAW_BATCH / 2, rate, loadAverage());
      return rate;
    }
  }

  private static Served grpc(
      Path jar,
      Path dir,
      List<byte[]> images,
      Calls calls,
      List<String> serviceJvm,
      Path outDir,
      String label)
      throws Exception {
    Path log = outDir.resolve("grpc-bench-service-" + label.replace(' ', '-') + ".log");
    long startedAt = System.nanoTime();
    try (PackagedEncoderService service =
        PackagedEncoderService.start(jar, dir, log, serviceJvm, Duration.ofMinutes(10))) {
      System.out.printf(
          "packaged service (%s) up in %.1f s (log %s)%n",
          label, (System.nanoTime() - startedAt) / 1e9, log);
      List<EncodeImagesRequest> requests = new ArrayList<>();
      for (byte[] image : images) {
        requests.add(
            EncodeImagesRequest.newBuilder()
                .addImages(ImageSource.newBuilder().setData(ByteString.copyFrom(image)))
                .build());
      }
      ManagedChannel channel = service.channel();
      EncoderServiceGrpc.EncoderServiceStub stub = service.asyncEncoder(channel);
      ClosedLoop loop = new ClosedLoop(stub, requests, calls.clients());
      loop.start();
      try {
        Thread.sleep(calls.warmUp().toMillis());
        Snapshot first = Snapshot.take(service, loop.done());
        loop.latencies().clear();
        Thread.sleep(calls.window().toMillis());
        Snapshot last = Snapshot.take(service, loop.done());
        double seconds = (last.nanos - first.nanos) / 1e9;
        long answered = last.done - first.done;
        double rate = answered / seconds;
        BatchStats batches = BatchStats.between(first.metrics, last.metrics);
        System.out.printf(
            "gRPC %d clients (%s): %d images in %.1f s = %.2f images/s; service CPU %.1f ms/image,"
                + " this client %.1f ms/image; latency %s; batches: %s; load average %s%n",
            calls.clients(),
            label,
            answered,
            seconds,
            rate,
            (last.serviceCpuNanos - first.serviceCpuNanos) / 1e6 / answered,
            (last.clientCpuNanos - first.clientCpuNanos) / 1e6 / answered,
            loop.latencies().summary(),
            batches,
            loadAverage());
        System.out.printf(
            "service CPU ms/image by thread (%s): %s%n",
            label, perItem(last.serviceThreads.since(first.serviceThreads), answered));
        return new Served(rate);
      } finally {
        loop.stop();
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Counters read at one moment of the gRPC run. */
  private record Snapshot(
      long nanos,
      long done,
      long serviceCpuNanos,
      long clientCpuNanos,
      String metrics,
      ThreadCpu serviceThreads) {
    static Snapshot take(PackagedEncoderService service, long done) throws Exception {
      return new Snapshot(
          System.nanoTime(),
          done,
          service.cpuTime().toNanos(),
          processCpuNanos(),
          service.metrics(),
          ThreadCpu.of(service.pid()));
    }
  }

  /** {@code group ms, ...}: CPU ms per item of each thread group that used at least 1 %. */
  static String perItem(Map<String, Double> secondsByGroup, long items) {
    double total = secondsByGroup.values().stream().mapToDouble(Double::doubleValue).sum();
    StringBuilder out = new StringBuilder();
    secondsByGroup.forEach(
        (group, seconds) -> {
          if (seconds >= total / 100) {
            out.append(out.isEmpty() ? "" : ", ")
                .append(String.format("%s %.1f", group, seconds * 1000 / items));
          }
        });
    return out.toString();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String loadAverage() {
    try {
      return String.join(
          " ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
    } catch (java.io.IOException e) {
      return String.format(
          "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  /** The value after each occurrence of {@code name}. */
  private static List<String> flagValues(List<String> flags, String name) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i + 1 < flags.size(); i++) {
      if (flags.get(i).equals(name)) {
        values.add(flags.get(i + 1));
      }
    }
    return values;
  }

  private static String flag(List<String> flags, String name, String fallback) {
    int i = flags.indexOf(name);
    return i >= 0 && i + 1 < flags.size() ? flags.get(i + 1) : fallback;
  }

  private GrpcThroughputBenchmark() {}
}
