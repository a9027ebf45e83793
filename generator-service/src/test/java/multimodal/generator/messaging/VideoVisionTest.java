package multimodal.generator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import multimodal.generator.InvalidInputException;
import multimodal.generator.inference.vision.Detection;
import multimodal.generator.inference.vision.DetectionSettings;
import multimodal.generator.inference.vision.ObjectDetector;
import multimodal.generator.inference.vision.SafetyClassifier;
import multimodal.generator.inference.vision.SafetyScores;
import multimodal.generator.inference.vision.VisionAnalyzer;
import multimodal.generator.inference.vision.VisionModelDir;
import multimodal.generator.inference.vision.VisionResult;
import multimodal.generator.inference.vision.VisionTestModels;
import multimodal.generator.vision.VisionProtos;
import multimodal.media.video.TestVideos;
import multimodal.media.video.VideoKeyframes;
import multimodal.media.video.VideoLimits;
import multimodal.v1.DetectedObject;
import multimodal.v1.MediaVisionEvent;
import multimodal.v1.TimeRange;
import multimodal.v1.VisionSegment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A video through the vision group's path without Kafka: cut by {@link VideoFrames} as the caption
 * group cuts it, each keyframe analysed by the real imported models, and the one event per video
 * summarised by {@link VisionProtos#videoEvent}.
 */
class VideoVisionTest {
  /** The service's default tag settings (GeneratorConfig.Vision). */
  private static final DetectionSettings SERVICE = new DetectionSettings(0.3f, 0.4f, 10, true);

  private static OrtSession.SessionOptions options;
  private static VisionAnalyzer analyzer;

  private final VideoFrames frames = new VideoFrames(new VideoKeyframes(VideoLimits.DEFAULTS));

  @BeforeAll
  static void load() throws Exception {
    options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    analyzer =
        new VisionAnalyzer(
            Optional.of(
                ObjectDetector.load(
                    VisionModelDir.open(VisionTestModels.detectorDir()), env, options)),
            Optional.of(
                SafetyClassifier.load(
                    VisionModelDir.open(VisionTestModels.safetyDir()), env, options)));
  }

  @AfterAll
  static void close() throws Exception {
    if (analyzer != null) {
      analyzer.close();
    }
    options.close();
  }

  /**
   * Coins (nothing the detector knows), a horse and an astronaut, two seconds each: three keyframes
   * at the scene changes, the horse tagged in the middle one and the person in the last, and the
   * item's tags each label once with its best keyframe score.
   */
  @Test
  void tagsEachKeyframeAndSummarisesTheVideo() throws Exception {
    byte[] mp4 = TestVideos.mp4(2, "coins.png", "horse.png", "astronaut.png");
    VideoFrames.Cut cut = frames.cut(new CaptionInput.Video(mp4, "video/mp4", "data.bytes"));

    MediaVisionEvent event =
        VisionProtos.videoEvent(
                analyzer, cut.times(), analyzer.analyze(cut.images(), SERVICE), cut.durationMs())
            .build();

    assertThat(event.getDurationMs()).isBetween(5900L, 6100L);
    assertThat(event.getSegmentsList())
        .extracting(s -> List.of(s.getTime().getStartMs(), s.getTime().getEndMs()))
        .containsExactly(
            List.of(0L, 2000L), List.of(2000L, 4000L), List.of(4000L, event.getDurationMs()));
    assertThat(labels(event.getSegments(0).getObjectsList())).isEmpty();
    assertThat(labels(event.getSegments(1).getObjectsList())).contains("horse");
    assertThat(labels(event.getSegments(2).getObjectsList())).contains("person");
    assertThat(labels(event.getObjectsList()))
        .contains("horse", "person")
        .doesNotHaveDuplicates()
        .isEqualTo(labels(event.getObjectsList().stream().sorted(byScore()).toList()));
    assertThat(score(event.getObjectsList(), "horse"))
        .isEqualTo(score(event.getSegments(1).getObjectsList(), "horse"));
    assertThat(event.getImageWidth()).isEqualTo(320);
    assertThat(event.getImageHeight()).isEqualTo(240);
    VisionSegment worst =
        event.getSegmentsList().stream()
            .max(java.util.Comparator.comparingDouble(VisionSegment::getUnsafeScore))
            .orElseThrow();
    assertThat(event.getUnsafeScore()).isEqualTo(worst.getUnsafeScore());
    assertThat(event.getUnsafeTime()).isEqualTo(worst.getTime());
    assertThat(event.getSafetyList()).isEqualTo(worst.getSafetyList()).hasSize(5);
    assertThat(event.getDetector().getName()).isEqualTo("centernet-coco");
    assertThat(event.getSafetyModel().getName()).isEqualTo("nsfw-mobilenet-v2-mid");
    assertThat(event.getDetectMicros()).isPositive();
  }

  @Test
  void aTruncatedVideoIsRefusedWithTheExtractorsReason() {
    byte[] mp4 = TestVideos.mp4(1, "horse.png");
    CaptionInput.Video truncated =
        new CaptionInput.Video(Arrays.copyOf(mp4, mp4.length / 2), "video/mp4", "data.bytes");

    assertThatThrownBy(() -> frames.cut(truncated))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("data.bytes: video/mp4 does not decode: moov atom not found");
  }

  /**
   * A label seen in several keyframes keeps the box and score of its best one; the item's safety is
   * the keyframe with the highest unsafe score, whichever comes first on a tie.
   */
  @Test
  void theItemKeepsEachLabelsBestDetectionAndTheWorstKeyframesSafety() {
    List<TimeRange> times = List.of(time(0, 1000), time(1000, 2000), time(2000, 3000));
    Detection dogLow = new Detection("dog", 0.4f, 0.1f, 0.1f, 0.5f, 0.5f);
    Detection dogHigh = new Detection("dog", 0.8f, 0.2f, 0.2f, 0.6f, 0.6f);
    Detection cup = new Detection("cup", 0.5f, 0.3f, 0.3f, 0.4f, 0.4f);
    List<VisionResult> results =
        List.of(
            result(List.of(dogLow), 0.1f),
            result(List.of(cup, dogHigh), 0.7f),
            result(List.of(dogLow), 0.7f));

    MediaVisionEvent event = VisionProtos.videoEvent(analyzer, times, results, 3000).build();

    assertThat(labels(event.getObjectsList())).containsExactly("dog", "cup");
    assertThat(event.getObjects(0).getScore()).isEqualTo(0.8f);
    assertThat(event.getObjects(0).getBox().getXMin()).isEqualTo(0.2f);
    assertThat(event.getUnsafeScore()).isEqualTo(0.7f);
    assertThat(event.getUnsafeTime()).isEqualTo(times.get(1));
    assertThat(event.getSegments(2).getObjectsList()).hasSize(1);
    assertThat(event.getDetectMicros()).isEqualTo(30);
    assertThat(event.getSafetyMicros()).isEqualTo(60);
  }

  @Test
  void withoutSafetyScoresAVideoHasNoUnsafeTime() {
    VisionResult unscored = new VisionResult(64, 48, List.of(), Optional.empty(), 10, 0);

    MediaVisionEvent event =
        VisionProtos.videoEvent(analyzer, List.of(time(0, 500)), List.of(unscored), 500).build();

    assertThat(event.hasUnsafeTime()).isFalse();
    assertThat(event.getSafetyList()).isEmpty();
    assertThat(event.getSegments(0).getSafetyList()).isEmpty();
  }

  private static VisionResult result(List<Detection> objects, float unsafe) {
    SafetyScores scores =
        new SafetyScores(
            List.of(
                new SafetyScores.ClassProbability("neutral", 1 - unsafe),
                new SafetyScores.ClassProbability("porn", unsafe)),
            unsafe);
    return new VisionResult(64, 48, objects, Optional.of(scores), 10, 20);
  }

  private static TimeRange time(long start, long end) {
    return TimeRange.newBuilder().setStartMs(start).setEndMs(end).build();
  }

  private static List<String> labels(List<DetectedObject> objects) {
    return objects.stream().map(DetectedObject::getLabel).toList();
  }

  private static java.util.Comparator<DetectedObject> byScore() {
    return java.util.Comparator.comparingDouble(DetectedObject::getScore).reversed();
  }

  private static float score(List<DetectedObject> objects, String label) {
    return objects.stream()
        .filter(o -> o.getLabel().equals(label))
        .map(DetectedObject::getScore)
        .max(Float::compare)
        .orElseThrow();
  }
}
