package multimodal.generator.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import multimodal.devkit.onnx.VitGpt2ShapeModel;
import multimodal.generator.inference.caption.CaptionTaskKind;
import multimodal.generator.inference.caption.VitGpt2Captioner;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.GenerationEngine;
import multimodal.generator.inference.image.ImageLoader;
import multimodal.generator.inference.onnx.ModelFiles;
import multimodal.generator.inference.text.TesseractOcr;
import multimodal.generator.inference.vision.DetectionSettings;
import multimodal.generator.inference.vision.ObjectDetector;
import multimodal.generator.inference.vision.RgbPixels;
import multimodal.generator.inference.vision.SafetyClassifier;
import multimodal.generator.inference.vision.VisionModelDir;

/**
 * Benchmark (a main, not a test) of the vision models as the service runs them (ONNX Runtime, one
 * intra-op thread by default, images already decoded): CenterNet and the nsfwjs classifier in
 * images/s at batch 1 and batch 8 over the ten shared photographs, and what they add to the CPU an
 * ingested image costs the generator today: a 20-token greedy caption (ViT-GPT2 at its real size,
 * {@link VitGpt2ShapeModel}, cross-attention cached, batch 8 as the ingest consumer runs it) plus
 * Tesseract OCR, measured in the same run on the same images. Prints wall time and process CPU time
 * (ONNX Runtime's threads included); the share is computed from CPU time, which a busy machine
 * disturbs less than wall time. Captions run on all cores as the service runs them.
 *
 * <p>Usage: {@code VisionBenchmark <vision models dir> [bench models dir] [repeats] [intra-op
 * threads]} (vision models: model-import/target/models with centernet-coco/ and
 * nsfw-mobilenet-v2-mid/).
 */
public final class VisionBenchmark {
  private static final int BATCH = 8;

  private VisionBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path models = Path.of(args.length > 0 ? args[0] : "model-import/target/models");
    Path benchModels = Path.of(args.length > 1 ? args[1] : "generator-service/target/bench-models");
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    System.out.printf(
        "cores available: %d, ONNX Runtime intra-op threads: %d, best of %d%n",
        Runtime.getRuntime().availableProcessors(), threads, repeats);
    List<BufferedImage> images = photographs(Path.of("testdata/images"));
    List<RgbPixels> pixels = images.stream().map(RgbPixels::of).toList();
    List<RgbPixels> eight = pixels.subList(0, BATCH);
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      Time detect;
      Time safety;
      try (ObjectDetector detector =
          ObjectDetector.load(
              VisionModelDir.open(models.resolve("centernet-coco")), env, options)) {
        DetectionSettings settings = new DetectionSettings(0.3f, 0.4f, 10, false);
        detector.detect(eight, settings); // warm-up
        Time one =
            best(
                    repeats,
                    () -> {
                      for (RgbPixels p : eight) {
                        detector.detect(List.of(p), settings);
                      }
                    })
                .per(BATCH);
        Time batched = best(repeats, () -> detector.detect(eight, settings)).per(BATCH);
        report(
            "CenterNet 512x512" + (detector.batched() ? "" : " (graph batch 1: 8 = a loop)"),
            one,
            batched);
        detect = one;
      }
      try (SafetyClassifier classifier =
          SafetyClassifier.load(
              VisionModelDir.open(models.resolve("nsfw-mobilenet-v2-mid")), env, options)) {
        classifier.classify(eight); // warm-up, both shapes
        classifier.classify(List.of(pixels.get(0)));
        Time one =
            best(
                    repeats,
                    () -> {
                      for (RgbPixels p : eight) {
                        classifier.classify(List.of(p));
                      }
                    })
                .per(BATCH);
        Time batched = best(repeats, () -> classifier.classify(eight)).per(BATCH);
        report(
            "nsfwjs MobileNetV2 224x224" + (classifier.batched() ? " (dynamic batch)" : ""),
            one,
            batched);
        safety = one;
      }
      Time caption;
      // As the service runs captions: all cores (generator.ort.intra-op-threads=0), no memory
      // patterns.
      options.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
      options.setMemoryPatternOptimization(false);
      try (VitGpt2Captioner captioner =
          VitGpt2Captioner.load(
              new ModelFiles(VitGpt2ShapeModel.write(benchModels)), env, options, true)) {
        DecodingOptions greedy =
            DecodingOptions.greedy(20, java.util.Set.of()); // no stop: 20 tokens each
        List<BufferedImage> batch = images.subList(0, BATCH);
        captioner.caption(
            batch.subList(0, 1),
            CaptionTaskKind.CAPTION,
            greedy,
            GenerationControl.unlimited(),
            GenerationEngine.TokenListener.NONE);
        caption =
            best(
                    Math.min(repeats, 2),
                    () ->
                        captioner.caption(
                            batch,
                            CaptionTaskKind.CAPTION,
                            greedy,
                            GenerationControl.unlimited(),
                            GenerationEngine.TokenListener.NONE))
                .per(BATCH);
      }
      Optional<Path> tessdata = TesseractOcr.findTessdata(Optional.empty());
      Time ocr = new Time(0, 0);
      if (tessdata.isPresent()) {
        TesseractOcr tesseract = new TesseractOcr(tessdata.get(), "eng");
        ocr =
            best(
                    2,
                    () ->
                        images.subList(0, BATCH).forEach(image -> tesseract.read(image, List.of())))
                .per(BATCH);
      }
      double ingest = caption.cpuMs() + ocr.cpuMs();
      double vision = detect.cpuMs() + safety.cpuMs();
      System.out.printf(
          "CPU per image: caption (ViT-GPT2 size, 20 tokens, batch 8; wall %.1f ms) %.1f ms + OCR"
              + " %.1f ms = %.1f ms%s%n",
          caption.wallMs(),
          caption.cpuMs(),
          ocr.cpuMs(),
          ingest,
          tessdata.isPresent() ? "" : " (no Tesseract data: OCR not measured)");
      System.out.printf(
          "vision (batch 1) adds CPU per image: detect %.1f ms + safety %.1f ms = %.1f ms: +%.0f%%"
              + " on caption+OCR, %.0f%% of the generator's per-image CPU with vision on%n",
          detect.cpuMs(),
          safety.cpuMs(),
          vision,
          100 * vision / ingest,
          100 * vision / (ingest + vision));
    }
  }

  private static void report(String model, Time one, Time batched) {
    System.out.printf(
        "%-50s batch 1: %6.1f ms/image = %5.2f images/s (CPU %6.1f ms) | batch 8: %6.1f ms/image"
            + " = %5.2f images/s (CPU %6.1f ms)%n",
        model,
        one.wallMs(),
        1000 / one.wallMs(),
        one.cpuMs(),
        batched.wallMs(),
        1000 / batched.wallMs(),
        batched.cpuMs());
  }

  private interface Work {
    void run() throws Exception;
  }

  /** Wall and process CPU time (all threads, ONNX Runtime's native ones included), in ms. */
  private record Time(double wallMs, double cpuMs) {
    Time per(int images) {
      return new Time(wallMs / images, cpuMs / images);
    }
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  /** The lowest wall time and the lowest CPU time of {@code repeats} runs. */
  private static Time best(int repeats, Work work) throws Exception {
    double wall = Double.MAX_VALUE;
    double cpu = Double.MAX_VALUE;
    for (int i = 0; i < repeats; i++) {
      long cpuStart = OS.getProcessCpuTime();
      long start = System.nanoTime();
      work.run();
      wall = Math.min(wall, (System.nanoTime() - start) / 1e6);
      cpu = Math.min(cpu, (OS.getProcessCpuTime() - cpuStart) / 1e6);
    }
    return new Time(wall, cpu);
  }

  private static List<BufferedImage> photographs(Path dir) throws Exception {
    ImageLoader decoder = new ImageLoader(64 << 20, 100_000_000);
    List<BufferedImage> images = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        images.add(decoder.decode(Files.readAllBytes(file), file.getFileName().toString()));
      }
    }
    return images;
  }
}
