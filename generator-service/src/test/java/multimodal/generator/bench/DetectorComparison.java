package multimodal.generator.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import multimodal.generator.inference.image.ImageLoader;
import multimodal.generator.inference.vision.Detection;
import multimodal.generator.inference.vision.DetectionSettings;
import multimodal.generator.inference.vision.ObjectDetector;
import multimodal.generator.inference.vision.RgbPixels;
import multimodal.generator.inference.vision.VisionModelDir;

/**
 * CenterNet (the production {@link ObjectDetector} at the service's defaults) against NanoDet
 * (decoded as
 *
 * @vladmandic/human does, at human's defaults) on the shared photographs: per photo the tags of
 *     each, whether they show what testdata/IMAGES.md says the photo shows, and ms/image (median of
 *     the runs, one intra-op thread, resize and decoding of the outputs included, image decoding
 *     not). A main, not a test.
 *     <p>Arguments: vision models dir (with centernet-coco/ and nanodet-coco/), photographs dir,
 *     runs.
 */
public final class DetectorComparison {
  /**
   * generator.vision.* defaults (GeneratorConfig): min-score 0.3, iou 0.4, max-objects 10,
   * per-class NMS.
   */
  private static final DetectionSettings SERVICE_DEFAULTS =
      new DetectionSettings(0.3f, 0.4f, 10, true);

  /**
   * @vladmandic/human 3.3.6 config.object: minConfidence 0.2, iouThreshold 0.4, maxDetected 10.
   */
  private static final double HUMAN_MIN_CONFIDENCE = 0.2;

  private static final float HUMAN_IOU = 0.4f;
  private static final int HUMAN_MAX_DETECTED = 10;

  /**
   * The COCO classes each photo's caption in testdata/IMAGES.md names (empty: nothing COCO has a
   * class for). Written from the captions, not from either detector's output.
   */
  static final Map<String, Set<String>> SHOWN =
      Map.of(
          "astronaut.png", Set.of("person"),
          "chelsea.png", Set.of("cat"),
          "coffee.png", Set.of("cup", "spoon", "dining table"),
          "rocket.jpg", Set.of(),
          "hubble_deep_field.jpg", Set.of(),
          "camera.png", Set.of("person"),
          "coins.png", Set.of(),
          "clock_motion.png", Set.of("clock"),
          "horse.png", Set.of("horse"),
          "CLIP.png", Set.of());

  public static void main(String[] args) throws Exception {
    Path models = Path.of(args.length > 0 ? args[0] : "model-import/target/models");
    Path photoDir = Path.of(args.length > 1 ? args[1] : "testdata/images");
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    ImageLoader imageDecoder = new ImageLoader(64 << 20, 100_000_000);
    List<Path> files;
    try (Stream<Path> list = Files.list(photoDir)) {
      files = list.filter(f -> SHOWN.containsKey(f.getFileName().toString())).sorted().toList();
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setIntraOpNumThreads(1);
      try (ObjectDetector centerNet =
              ObjectDetector.load(
                  VisionModelDir.open(models.resolve("centernet-coco")), env, options);
          NanoDetDetector nanoDet =
              new NanoDetDetector(
                  VisionModelDir.open(models.resolve("nanodet-coco")), env, options)) {
        List<Photo> photos = new ArrayList<>();
        for (Path file : files) {
          String name = file.getFileName().toString();
          photos.add(
              new Photo(name, RgbPixels.of(imageDecoder.decode(Files.readAllBytes(file), name))));
        }
        System.out.printf(
            "CenterNet at the service defaults (score > 0.3, per-class NMS), NanoDet at human's "
                + "(score > 0.2, class-agnostic NMS):%n%n");
        compare(centerNet, SERVICE_DEFAULTS, nanoDet, HUMAN_MIN_CONFIDENCE, photos, runs);
        System.out.printf(
            "%nThe other way round (CenterNet at human's defaults, NanoDet at score > 0.3), "
                + "so neither wins by its threshold alone:%n%n");
        compare(
            centerNet,
            DetectionSettings.HUMAN_DEFAULTS,
            nanoDet,
            SERVICE_DEFAULTS.minScore(),
            photos,
            0);
      }
    }
  }

  record Photo(String name, RgbPixels image) {}

  /** Prints the table and summary; {@code runs} 0 leaves the timing out. */
  private static void compare(
      ObjectDetector centerNet,
      DetectionSettings centerNetSettings,
      NanoDetDetector nanoDet,
      double nanoDetMinScore,
      List<Photo> photos,
      int runs)
      throws OrtException {
    System.out.printf(
        "| photograph | shows (IMAGES.md) | CenterNet tags | ok |%s NanoDet tags | ok |%s%n",
        runs > 0 ? " ms |" : "", runs > 0 ? " ms |" : "");
    System.out.printf(
        "|---|---|---|---|%s---|---|%s%n", runs > 0 ? "---|" : "", runs > 0 ? "---|" : "");
    int[] right = new int[2];
    List<Double> centerNetMs = new ArrayList<>();
    List<Double> nanoDetMs = new ArrayList<>();
    for (Photo photo : photos) {
      Set<String> shown = SHOWN.get(photo.name());
      List<RgbPixels> one = List.of(photo.image());
      List<Detection> c = centerNet.detect(one, centerNetSettings).get(0);
      List<Detection> n =
          nanoDet.detect(photo.image(), nanoDetMinScore, HUMAN_IOU, HUMAN_MAX_DETECTED);
      Verdict cv = Verdict.of(c, shown);
      Verdict nv = Verdict.of(n, shown);
      right[0] += cv == Verdict.YES ? 1 : 0;
      right[1] += nv == Verdict.YES ? 1 : 0;
      String cMs = "";
      String nMs = "";
      if (runs > 0) {
        centerNetMs.add(medianMs(runs, () -> centerNet.detect(one, centerNetSettings)));
        nanoDetMs.add(
            medianMs(
                runs,
                () ->
                    nanoDet.detect(photo.image(), nanoDetMinScore, HUMAN_IOU, HUMAN_MAX_DETECTED)));
        cMs = String.format(" %.1f |", centerNetMs.get(centerNetMs.size() - 1));
        nMs = String.format(" %.1f |", nanoDetMs.get(nanoDetMs.size() - 1));
      }
      System.out.printf(
          "| %s | %s | %s | %s |%s %s | %s |%s%n",
          photo.name(),
          shown.isEmpty() ? "(no COCO class)" : String.join(", ", shown.stream().sorted().toList()),
          tags(c),
          cv.text,
          cMs,
          tags(n),
          nv.text,
          nMs);
    }
    System.out.printf(
        "%nsummary: right (best tag is shown, or no tag where nothing COCO has is shown) "
            + "CenterNet %d/%d, NanoDet %d/%d",
        right[0], photos.size(), right[1], photos.size());
    if (runs > 0) {
      System.out.printf(
          "; median ms/image over the photos CenterNet %.1f, NanoDet %.1f "
              + "(1 intra-op thread, median of %d runs per photo, resize and decoding included)",
          median(centerNetMs), median(nanoDetMs), runs);
    }
    System.out.println();
  }

  /** Yes: the best tag is a class the caption names, or no tag where it names none. */
  enum Verdict {
    YES("yes"),
    PARTLY("partly"),
    NO("no");

    final String text;

    Verdict(String text) {
      this.text = text;
    }

    /** Partly: a named class is among the tags but not first, or no tag where one is named. */
    static Verdict of(List<Detection> tags, Set<String> shown) {
      if (tags.isEmpty()) {
        return shown.isEmpty() ? YES : NO;
      }
      if (shown.contains(tags.get(0).label())) {
        return YES;
      }
      return tags.stream().anyMatch(t -> shown.contains(t.label())) ? PARTLY : NO;
    }
  }

  static String tags(List<Detection> tags) {
    return tags.isEmpty()
        ? "none"
        : tags.stream()
            .map(t -> String.format("%s %.2f", t.label(), t.score()))
            .collect(Collectors.joining(", "));
  }

  interface Work {
    void run() throws OrtException;
  }

  private static double medianMs(int runs, Work work) throws OrtException {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      work.run();
      times.add((System.nanoTime() - start) / 1e6);
    }
    return median(times);
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
