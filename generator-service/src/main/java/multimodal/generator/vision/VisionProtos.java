package multimodal.generator.vision;

import java.util.List;
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
