package multimodal.generator.vision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import multimodal.generator.inference.vision.Detection;
import multimodal.generator.inference.vision.SafetyScores;
import multimodal.generator.inference.vision.VisionAnalyzer;
import multimodal.generator.inference.vision.VisionResult;
import multimodal.v1.BoundingBox;
import multimodal.v1.ClassScore;
import multimodal.v1.DetectedObject;
import multimodal.v1.ImageAnalysis;
import multimodal.v1.MediaVisionEvent;
import multimodal.v1.ModelRef;
import multimodal.v1.TimeRange;
import multimodal.v1.VisionSegment;

/** The vision results as the contract's messages: media.vision.v1 events and Analyze results. */
public final class VisionProtos {
  private VisionProtos() {}

  /** An Analyze result (timings are the caller's to add). */
  public static ImageAnalysis.Builder analysis(VisionAnalyzer analyzer, VisionResult result) {
    ImageAnalysis.Builder analysis =
        ImageAnalysis.newBuilder()
            .addAllObjects(objects(result.objects()))
            .setImageWidth(result.width())
            .setImageHeight(result.height());
    detector(analyzer).ifPresent(analysis::setDetector);
    safetyModel(analyzer).ifPresent(analysis::setSafetyModel);
    result.safety().ifPresent(s -> analysis.addAllSafety(safety(s)).setUnsafeScore(s.unsafe()));
    return analysis;
  }

  /** A media.vision.v1 event without its ids and timestamps (the consumer's to add). */
  public static MediaVisionEvent.Builder event(VisionAnalyzer analyzer, VisionResult result) {
    MediaVisionEvent.Builder event =
        MediaVisionEvent.newBuilder()
            .addAllObjects(objects(result.objects()))
            .setImageWidth(result.width())
            .setImageHeight(result.height())
            .setDetectMicros(result.detectMicros())
            .setSafetyMicros(result.safetyMicros());
    detector(analyzer).ifPresent(event::setDetector);
    safetyModel(analyzer).ifPresent(event::setSafetyModel);
    result.safety().ifPresent(s -> event.addAllSafety(safety(s)).setUnsafeScore(s.unsafe()));
    return event;
  }

  /**
   * A media.vision.v1 event of a video without its ids and timestamps: a segment per keyframe, and
   * the item-level fields as the contract says (each label once with its best keyframe detection,
   * best first; the worst keyframe's safety scores and its time; timings summed).
   *
   * @param times the stretch of the video each keyframe stands for
   * @param results each keyframe's analysis, in the order of {@code times}
   */
  public static MediaVisionEvent.Builder videoEvent(
      VisionAnalyzer analyzer, List<TimeRange> times, List<VisionResult> results, long durationMs) {
    if (times.size() != results.size()) {
      throw new IllegalArgumentException(
          times.size() + " keyframe times for " + results.size() + " results");
    }
    MediaVisionEvent.Builder event = MediaVisionEvent.newBuilder().setDurationMs(durationMs);
    detector(analyzer).ifPresent(event::setDetector);
    safetyModel(analyzer).ifPresent(event::setSafetyModel);
    Map<String, Detection> best = new LinkedHashMap<>();
    int worst = -1;
    long detectMicros = 0;
    long safetyMicros = 0;
    for (int i = 0; i < results.size(); i++) {
      VisionResult frame = results.get(i);
      VisionSegment.Builder segment =
          VisionSegment.newBuilder().setTime(times.get(i)).addAllObjects(objects(frame.objects()));
      frame.safety().ifPresent(s -> segment.addAllSafety(safety(s)).setUnsafeScore(s.unsafe()));
      event.addSegments(segment);
      for (Detection d : frame.objects()) {
        best.merge(d.label(), d, (kept, found) -> found.score() > kept.score() ? found : kept);
      }
      if (frame.safety().isPresent() && (worst < 0 || unsafe(frame) > unsafe(results.get(worst)))) {
        worst = i;
      }
      detectMicros += frame.detectMicros();
      safetyMicros += frame.safetyMicros();
    }
    List<Detection> labels = new ArrayList<>(best.values());
    labels.sort(Comparator.comparingDouble(Detection::score).reversed());
    event
        .addAllObjects(objects(labels))
        .setDetectMicros(detectMicros)
        .setSafetyMicros(safetyMicros);
    if (!results.isEmpty()) {
      event.setImageWidth(results.get(0).width()).setImageHeight(results.get(0).height());
    }
    if (worst >= 0) {
      SafetyScores scores = results.get(worst).safety().orElseThrow();
      event
          .addAllSafety(safety(scores))
          .setUnsafeScore(scores.unsafe())
          .setUnsafeTime(times.get(worst));
    }
    return event;
  }

  private static float unsafe(VisionResult result) {
    return result.safety().orElseThrow().unsafe();
  }

  static List<DetectedObject> objects(List<Detection> detections) {
    return detections.stream()
        .map(
            d ->
                DetectedObject.newBuilder()
                    .setLabel(d.label())
                    .setScore(d.score())
                    .setBox(
                        BoundingBox.newBuilder()
                            .setXMin(d.xMin())
                            .setYMin(d.yMin())
                            .setXMax(d.xMax())
                            .setYMax(d.yMax()))
                    .build())
        .toList();
  }

  static List<ClassScore> safety(SafetyScores scores) {
    return scores.classes().stream()
        .map(c -> ClassScore.newBuilder().setLabel(c.label()).setScore(c.probability()).build())
        .toList();
  }

  static Optional<ModelRef> detector(VisionAnalyzer analyzer) {
    return analyzer.detector().map(d -> ref(d.name(), d.version(), d.fixture()));
  }

  static Optional<ModelRef> safetyModel(VisionAnalyzer analyzer) {
    return analyzer.safety().map(s -> ref(s.name(), s.version(), s.fixture()));
  }

  private static ModelRef ref(String name, String version, boolean fixture) {
    return ModelRef.newBuilder().setName(name).setVersion(version).setFixture(fixture).build();
  }
}
