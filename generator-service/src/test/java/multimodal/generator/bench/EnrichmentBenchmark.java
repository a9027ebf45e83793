package multimodal.generator.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import multimodal.devkit.onnx.CaptionFixtureModels;
import multimodal.generator.TestImages;
import multimodal.generator.inference.caption.VitGpt2Captioner;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.image.ImageLoader;
import multimodal.generator.inference.onnx.ModelFiles;
import multimodal.generator.inference.text.TesseractOcr;
import multimodal.generator.inference.text.TextPresence;
import multimodal.generator.inference.vision.DetectionSettings;
import multimodal.generator.inference.vision.ObjectDetector;
import multimodal.generator.inference.vision.SafetyClassifier;
import multimodal.generator.inference.vision.VisionAnalyzer;
import multimodal.generator.inference.vision.VisionModelDir;
import multimodal.generator.inference.vision.VisionResult;
import multimodal.generator.messaging.CaptionEnrichment;
import multimodal.v1.MediaCaptionEvent;

/**
 * Benchmark (a main, not a test) of what generator-service does per ingested image, in process: the
 * caption consumer's path (decode, one batched caption per 16 images with the demo caption fixture
 * the local run serves and OCR at the same time, through the consumer's own {@link
 * CaptionEnrichment}; the event's bytes) and the vision consumer's path (decode, CenterNet,
 * nsfwjs), each alone and then side by side on two threads as the two consumer groups run. Prints
 * images/s, process CPU time per image (ONNX Runtime's and Tesseract's native threads included;
 * less disturbed by a busy machine than wall time) and each stage's wall time per image, for N
 * small (64×64) images and for the ten shared photographs. The Kafka send itself is not included
 * (no broker here): the "produce" stage is building and serialising the event.
 *
 * <p>Usage: {@code EnrichmentBenchmark [vision models dir] [small images] [repeats] [caption
 * intra-op threads, 0 = ORT's default] [OCR workers, default half the cores] [text check
 * true|false] [detector small inputs, comma-separated, default the service's 128,256; 0 = the
 * model's own 512 only, as before]}
 */
public final class EnrichmentBenchmark {
  private static final int CONSUMER_BATCH = 16;
  private static final int VISION_BATCH = 8;

  private EnrichmentBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path visionModels = Path.of(args.length > 0 ? args[0] : "model-import/target/models");
    int smallCount = args.length > 1 ? Integer.parseInt(args[1]) : 160;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int captionThreads = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    int ocrWorkers =
        args.length > 4
            ? Integer.parseInt(args[4])
            : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    boolean textCheck = args.length <= 5 || Boolean.parseBoolean(args[5]);
    List<Integer> smallInputs =
        java.util.Arrays.stream((args.length > 6 ? args[6] : "128,256").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .filter(size -> size != 0)
            .toList();
    System.out.printf(
        "cores %d, load average %.2f, caption intra-op threads %s, OCR workers %d, text check %s,"
            + " detector small inputs %s, best of %d%n",
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        captionThreads == 0 ? "all (ORT default)" : captionThreads,
        ocrWorkers,
        textCheck ? "on" : "off",
        smallInputs.isEmpty() ? "none" : smallInputs,
        repeats);
    List<byte[]> small = smallImages(smallCount);
    List<byte[]> photos = photographs(Path.of("testdata/images"));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions captionOptions = new OrtSession.SessionOptions();
        OrtSession.SessionOptions visionOptions = new OrtSession.SessionOptions()) {
      captionOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (captionThreads > 0) {
        captionOptions.setIntraOpNumThreads(captionThreads);
      }
      captionOptions.setMemoryPatternOptimization(false);
      visionOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      visionOptions.setIntraOpNumThreads(1);
      visionOptions.setInterOpNumThreads(1);
      Path fixture =
          CaptionFixtureModels.writeCaptionFixture(Path.of("generator-service/target/test-models"));
      try (VitGpt2Captioner captioner =
              VitGpt2Captioner.load(new ModelFiles(fixture), env, captionOptions);
          VisionAnalyzer vision =
              new VisionAnalyzer(
                  Optional.of(
                      ObjectDetector.load(
                          VisionModelDir.open(visionModels.resolve("centernet-coco")),
                          env,
                          visionOptions,
                          smallInputs)),
                  Optional.of(
                      SafetyClassifier.load(
                          VisionModelDir.open(visionModels.resolve("nsfw-mobilenet-v2-mid")),
                          env,
                          visionOptions)))) {
        TesseractOcr ocr =
            new TesseractOcr(TesseractOcr.findTessdata(Optional.empty()).orElseThrow(), "eng");
        CaptionEnrichment enrichment =
            new CaptionEnrichment(
                textCheck ? Optional.of(new TextPresence()) : Optional.empty(),
                CONSUMER_BATCH,
                ocrWorkers);
        Paths paths = new Paths(captioner, vision, ocr, enrichment);
        paths.run(
            small.subList(0, Math.min(small.size(), CONSUMER_BATCH)),
            new Stages(),
            Mode.BOTH); // warm-up
        report("small 64x64 x" + small.size(), small, paths, repeats);
        report("photographs x" + photos.size(), photos, paths, repeats);
        oldOcr("small 64x64", small.subList(0, CONSUMER_BATCH), ocr, repeats);
        oldOcr("photographs", photos, ocr, repeats);
      }
    }
  }

  private static void report(String name, List<byte[]> images, Paths paths, int repeats)
      throws Exception {
    for (Mode mode : Mode.values()) {
      double best = 0;
      double bestCpu = Double.MAX_VALUE;
      Stages bestStages = null;
      List<String> rates = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        Stages stages = new Stages();
        long cpu = OS.getProcessCpuTime();
        long start = System.nanoTime();
        paths.run(images, stages, mode);
        double rate = images.size() / ((System.nanoTime() - start) / 1e9);
        bestCpu = Math.min(bestCpu, (OS.getProcessCpuTime() - cpu) / 1e6 / images.size());
        rates.add(String.format("%.1f", rate));
        if (rate > best) {
          best = rate;
          bestStages = stages;
        }
      }
      System.out.printf(
          "%-20s %-24s %6.1f images/s (runs: %s), process CPU %.1f ms/image%n",
          name, mode.label, best, String.join(", ", rates), bestCpu);
      bestStages.print(images.size(), mode);
    }
  }

  /**
   * OCR as the service did it before engines were pooled: a tess4j {@code Tesseract} per image (a
   * new TessBaseAPI, the model loaded each time), against the pooled engine, same images, same run.
   */
  private static void oldOcr(String name, List<byte[]> records, TesseractOcr pooled, int repeats) {
    ImageLoader loader = new ImageLoader(64 << 20, 100_000_000);
    List<BufferedImage> images = records.stream().map(b -> loader.decode(b, "data.bytes")).toList();
    double perCall = Double.MAX_VALUE;
    double reused = Double.MAX_VALUE;
    for (int r = 0; r < repeats; r++) {
      long start = System.nanoTime();
      for (BufferedImage image : images) {
        net.sourceforge.tess4j.Tesseract tesseract = new net.sourceforge.tess4j.Tesseract();
        tesseract.setDatapath(TesseractOcr.findTessdata(Optional.empty()).orElseThrow().toString());
        tesseract.setLanguage("eng");
        tesseract.setPageSegMode(net.sourceforge.tess4j.ITessAPI.TessPageSegMode.PSM_AUTO);
        tesseract.setOcrEngineMode(net.sourceforge.tess4j.ITessAPI.TessOcrEngineMode.OEM_LSTM_ONLY);
        tesseract.setVariable("user_defined_dpi", "300");
        try {
          tesseract.doOCR(image.getWidth(), image.getHeight(), rgb(image), 24, null, null);
        } catch (net.sourceforge.tess4j.TesseractException e) {
          throw new IllegalStateException(e);
        }
      }
      perCall = Math.min(perCall, (System.nanoTime() - start) / 1e6 / images.size());
      start = System.nanoTime();
      images.forEach(image -> pooled.read(image, List.of()));
      reused = Math.min(reused, (System.nanoTime() - start) / 1e6 / images.size());
    }
    System.out.printf(
        "OCR of every %s image, one thread: a Tesseract per call (before) %.1f ms/image,"
            + " pooled engine (no text check) %.1f ms/image%n",
        name, perCall, reused);
  }

  private static java.nio.ByteBuffer rgb(BufferedImage image) {
    java.nio.ByteBuffer bytes =
        java.nio.ByteBuffer.allocateDirect(image.getWidth() * image.getHeight() * 3);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        bytes.put((byte) (p >> 16)).put((byte) (p >> 8)).put((byte) p);
      }
    }
    return bytes.rewind();
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** Which consumer paths run: each alone, then both at once as the service runs them. */
  enum Mode {
    CAPTIONS("captions + OCR alone"),
    VISION("tags + safety alone"),
    BOTH("both at once");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  /** Wall time per stage, summed over the images (each path's thread records its own stages). */
  static final class Stages {
    final long[] nanos = new long[Stage.values().length];
    int skipped;

    synchronized void add(Stage stage, long elapsed) {
      nanos[stage.ordinal()] += elapsed;
    }

    void print(int images, Mode mode) {
      StringBuilder line = new StringBuilder("  ms/image:");
      for (Stage stage : Stage.values()) {
        if (mode == Mode.CAPTIONS && stage.ordinal() >= Stage.VISION_DECODE.ordinal()
            || mode == Mode.VISION && stage.ordinal() < Stage.VISION_DECODE.ordinal()) {
          continue;
        }
        line.append(String.format(" %s %.1f", stage.label, nanos[stage.ordinal()] / 1e6 / images));
      }
      if (mode != Mode.VISION) {
        line.append(String.format(" | OCR skipped by the text check: %d/%d", skipped, images));
      }
      System.out.println(line);
    }
  }

  enum Stage {
    CAPTION_DECODE("decode(caption)"),
    CAPTION("caption"),
    OCR("ocr (worker time)"),
    CAPTION_STEP("caption+ocr (wall, overlapped)"),
    PRODUCE("produce"),
    VISION_DECODE("decode(vision)"),
    DETECT("detect"),
    SAFETY("nsfw");

    final String label;

    Stage(String label) {
      this.label = label;
    }
  }

  /** The two consumers' paths over the same records, on two threads at once. */
  private record Paths(
      VitGpt2Captioner captioner,
      VisionAnalyzer vision,
      TesseractOcr ocr,
      CaptionEnrichment enrichment) {
    void run(List<byte[]> records, Stages stages, Mode mode) throws Exception {
      ExecutorService consumers = Executors.newFixedThreadPool(2);
      try {
        Future<?> captions =
            consumers.submit(
                () -> {
                  if (mode != Mode.VISION) {
                    captionPath(records, stages);
                  }
                  return null;
                });
        Future<?> tags =
            consumers.submit(
                () -> {
                  if (mode != Mode.CAPTIONS) {
                    visionPath(records, stages);
                  }
                  return null;
                });
        captions.get();
        tags.get();
      } finally {
        consumers.shutdownNow();
      }
    }

    private void captionPath(List<byte[]> records, Stages stages) {
      ImageLoader loader = new ImageLoader(64 << 20, 100_000_000);
      DecodingOptions options = DecodingOptions.greedy(20, captioner.defaults().stopTokens());
      for (int from = 0; from < records.size(); from += CONSUMER_BATCH) {
        List<byte[]> batch = records.subList(from, Math.min(records.size(), from + CONSUMER_BATCH));
        long start = System.nanoTime();
        List<BufferedImage> images =
            batch.stream().map(b -> loader.decode(b, "data.bytes")).toList();
        long decoded = System.nanoTime();
        stages.add(Stage.CAPTION_DECODE, decoded - start);
        // The consumer's own step: OCR on the workers while this thread captions.
        List<CaptionEnrichment.Enriched> enriched =
            enrichment.enrich(captioner, Optional.of(ocr), images, options);
        long done = System.nanoTime();
        long ocrMicros = 0;
        for (CaptionEnrichment.Enriched item : enriched) {
          stages.add(
              Stage.CAPTION,
              (item.caption().preprocessMicros() + item.caption().inferenceMicros()) * 1_000);
          ocrMicros += item.ocr().orElseThrow().micros();
          stages.skipped += item.ocr().orElseThrow().skipped() ? 1 : 0;
        }
        stages.add(Stage.OCR, ocrMicros * 1_000);
        stages.add(Stage.CAPTION_STEP, done - decoded);
        for (int i = 0; i < enriched.size(); i++) {
          long produce = System.nanoTime();
          CaptionEnrichment.Enriched item = enriched.get(i);
          MediaCaptionEvent.newBuilder()
              .setMediaId("m" + i)
              .setCaption(item.caption().text())
              .setOcrText(item.ocr().orElseThrow().text())
              .setOcrEngine(item.ocr().orElseThrow().engine())
              .build()
              .toByteArray();
          stages.add(Stage.PRODUCE, System.nanoTime() - produce);
        }
      }
    }

    private void visionPath(List<byte[]> records, Stages stages) throws Exception {
      ImageLoader loader = new ImageLoader(64 << 20, 100_000_000);
      DetectionSettings settings = new DetectionSettings(0.3f, 0.4f, 10, true);
      for (int from = 0; from < records.size(); from += CONSUMER_BATCH) {
        List<byte[]> batch = records.subList(from, Math.min(records.size(), from + CONSUMER_BATCH));
        long start = System.nanoTime();
        List<BufferedImage> images =
            batch.stream().map(b -> loader.decode(b, "data.bytes")).toList();
        stages.add(Stage.VISION_DECODE, System.nanoTime() - start);
        for (int chunk = 0; chunk < images.size(); chunk += VISION_BATCH) {
          for (VisionResult result :
              vision.analyze(
                  images.subList(chunk, Math.min(images.size(), chunk + VISION_BATCH)), settings)) {
            stages.add(Stage.DETECT, result.detectMicros() * 1_000);
            stages.add(Stage.SAFETY, result.safetyMicros() * 1_000);
          }
        }
      }
    }
  }

  /**
   * Small PNGs like a thumbnail stream: a coloured square or circle on a coloured ground, seeded.
   */
  static List<byte[]> smallImages(int count) {
    Random random = new Random(17);
    List<byte[]> images = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setColor(new Color(random.nextInt(0x1000000)));
      g.fillRect(0, 0, 64, 64);
      g.setColor(new Color(random.nextInt(0x1000000)));
      int side = 16 + random.nextInt(40);
      int x = random.nextInt(64 - side + 1);
      int y = random.nextInt(64 - side + 1);
      if (random.nextBoolean()) {
        g.fillOval(x, y, side, side);
      } else {
        g.fillRect(x, y, side, side);
      }
      g.dispose();
      images.add(TestImages.png(image));
    }
    return images;
  }

  static List<byte[]> photographs(Path dir) throws Exception {
    List<byte[]> images = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        images.add(Files.readAllBytes(file));
      }
    }
    return images;
  }
}
