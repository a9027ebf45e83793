package multimodal.generator.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import multimodal.generator.TestImages;
import multimodal.generator.inference.image.ImageLoader;
import multimodal.generator.inference.vision.Detection;
import multimodal.generator.inference.vision.DetectionSettings;
import multimodal.generator.inference.vision.ObjectDetector;
import multimodal.generator.inference.vision.RgbPixels;
import multimodal.generator.inference.vision.VisionModelDir;

/**
 * What the detector's small inputs ({@code generator.vision.detector.small-inputs}) change: the
 * shared photographs shrunk to thumbnails (longer side 64, 128, 256 by default; area-averaged,
 * aspect kept) are tagged at the model's own 512x512 input, as before, and at the small input the
 * service now picks, at the service's detection settings. Per thumbnail: both tag lists, whether
 * each shows what testdata/IMAGES.md says the photo shows ({@link DetectorComparison}'s verdict),
 * and whether the labels agree; then the full photographs (which keep the model's own input) and
 * the CPU time of one detection at each input. A main, not a test.
 *
 * <p>Arguments: vision models dir, photographs dir, thumbnail sides (comma-separated), small inputs
 * (comma-separated), timing runs.
 */
public final class DetectorInputSizeComparison {
  private static final DetectionSettings SERVICE_DEFAULTS =
      new DetectionSettings(0.3f, 0.4f, 10, true);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private DetectorInputSizeComparison() {}

  public static void main(String[] args) throws Exception {
    Path models = Path.of(args.length > 0 ? args[0] : "model-import/target/models");
    Path photoDir = Path.of(args.length > 1 ? args[1] : "testdata/images");
    List<Integer> sides = ints(args.length > 2 ? args[2] : "64,128,256");
    List<Integer> smallInputs = ints(args.length > 3 ? args[3] : "128,256");
    int runs = args.length > 4 ? Integer.parseInt(args[4]) : 20;
    ImageLoader loader = new ImageLoader(64 << 20, 100_000_000);
    Map<String, BufferedImage> photos = new java.util.TreeMap<>();
    try (Stream<Path> list = Files.list(photoDir)) {
      for (Path file : list.sorted().toList()) {
        String name = file.getFileName().toString();
        if (DetectorComparison.SHOWN.containsKey(name)) {
          photos.put(name, loader.decode(Files.readAllBytes(file), name));
        }
      }
    }
    VisionModelDir dir = VisionModelDir.open(models.resolve("centernet-coco"));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      try (ObjectDetector own = ObjectDetector.load(dir, env, options);
          ObjectDetector small = ObjectDetector.load(dir, env, options, smallInputs)) {
        System.out.printf(
            "CenterNet at its own input %s against small inputs %s; service settings (score >"
                + " 0.3, per-class NMS)%n%n",
            own.inputSizes(), small.inputSizes());
        for (int side : sides) {
          compareThumbnails(own, small, photos, side);
        }
        int same = 0;
        for (Map.Entry<String, BufferedImage> photo : photos.entrySet()) {
          List<RgbPixels> one = List.of(RgbPixels.of(photo.getValue()));
          same +=
              own.detect(one, SERVICE_DEFAULTS).equals(small.detect(one, SERVICE_DEFAULTS)) ? 1 : 0;
        }
        System.out.printf(
            "full photographs (longer side 300-2162, all above the small inputs): tags identical"
                + " with and without small inputs for %d/%d%n%n",
            same, photos.size());
        BufferedImage first = photos.values().iterator().next();
        for (int size : small.inputSizes()) {
          RgbPixels image = RgbPixels.of(TestImages.thumbnail(first, size));
          System.out.printf(
              "input %dx%d: %.1f ms CPU per detection (median of %d, one thread, resize and"
                  + " decoding included)%n",
              small.inputSize(image), small.inputSize(image), cpuMs(small, image, runs), runs);
        }
      }
    }
  }

  private static void compareThumbnails(
      ObjectDetector own, ObjectDetector small, Map<String, BufferedImage> photos, int side)
      throws OrtException {
    System.out.printf(
        "thumbnails, longer side %d:%n%n| photograph | shows (IMAGES.md) | tags at %d | ok |"
            + " input | tags at the small input | ok | same labels |%n"
            + "|---|---|---|---|---|---|---|---|%n",
        side, own.inputSizes().get(own.inputSizes().size() - 1));
    int[] right = new int[2];
    int sameLabels = 0;
    List<Double> scoreDiffs = new ArrayList<>();
    for (Map.Entry<String, BufferedImage> photo : photos.entrySet()) {
      Set<String> shown = DetectorComparison.SHOWN.get(photo.getKey());
      List<RgbPixels> one = List.of(RgbPixels.of(TestImages.thumbnail(photo.getValue(), side)));
      List<Detection> before = own.detect(one, SERVICE_DEFAULTS).get(0);
      List<Detection> after = small.detect(one, SERVICE_DEFAULTS).get(0);
      DetectorComparison.Verdict b = DetectorComparison.Verdict.of(before, shown);
      DetectorComparison.Verdict a = DetectorComparison.Verdict.of(after, shown);
      right[0] += b == DetectorComparison.Verdict.YES ? 1 : 0;
      right[1] += a == DetectorComparison.Verdict.YES ? 1 : 0;
      boolean same = labels(before).equals(labels(after));
      sameLabels += same ? 1 : 0;
      Map<String, Float> beforeScores = best(before);
      best(after)
          .forEach(
              (label, score) -> {
                if (beforeScores.containsKey(label)) {
                  scoreDiffs.add((double) Math.abs(score - beforeScores.get(label)));
                }
              });
      System.out.printf(
          "| %s | %s | %s | %s | %d | %s | %s | %s |%n",
          photo.getKey(),
          shown.isEmpty() ? "(no COCO class)" : String.join(", ", shown.stream().sorted().toList()),
          DetectorComparison.tags(before),
          b.text,
          small.inputSize(one.get(0)),
          DetectorComparison.tags(after),
          a.text,
          same ? "yes" : "no");
    }
    System.out.printf(
        "%nsummary, side %d: right (best tag shown, or none where nothing COCO has is shown)"
            + " %d/%d at the own input, %d/%d at the small input; same label set %d/%d; mean"
            + " |score difference| of shared labels %.3f (%d)%n%n",
        side,
        right[0],
        photos.size(),
        right[1],
        photos.size(),
        sameLabels,
        photos.size(),
        scoreDiffs.stream().mapToDouble(Double::doubleValue).average().orElse(0),
        scoreDiffs.size());
  }

  private static Set<String> labels(List<Detection> tags) {
    return tags.stream().map(Detection::label).collect(Collectors.toSet());
  }

  private static Map<String, Float> best(List<Detection> tags) {
    Map<String, Float> scores = new HashMap<>();
    tags.forEach(t -> scores.merge(t.label(), t.score(), Math::max));
    return scores;
  }

  private static double cpuMs(ObjectDetector detector, RgbPixels image, int runs)
      throws OrtException {
    double[] times = new double[runs];
    List<RgbPixels> one = List.of(image);
    detector.detect(one, SERVICE_DEFAULTS); // warm-up
    for (int i = 0; i < runs; i++) {
      long start = THREADS.getCurrentThreadCpuTime();
      detector.detect(one, SERVICE_DEFAULTS);
      times[i] = (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
    }
    Arrays.sort(times);
    return times[runs / 2];
  }

  private static List<Integer> ints(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
  }
}
