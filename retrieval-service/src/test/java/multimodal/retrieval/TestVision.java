package multimodal.retrieval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import multimodal.v1.BoundingBox;
import multimodal.v1.ClassScore;
import multimodal.v1.DetectedObject;
import multimodal.v1.MediaVisionEvent;
import multimodal.v1.ModelRef;

/** Vision events for tests: objects as "label" pairs with scores, safety from an unsafe score. */
public final class TestVision {
  public static final ModelRef DETECTOR =
      ModelRef.newBuilder().setName("centernet").setVersion("mobilenetv3-coco").build();
  public static final ModelRef SAFETY =
      ModelRef.newBuilder().setName("nsfwjs").setVersion("mobilenet_v2_mid").build();
  public static final Instant ANALYSED_AT = Instant.parse("2026-12-01T10:00:00Z");

  private TestVision() {}

  /** An object with a box that depends on its score, so boxes are told apart. */
  public static DetectedObject object(String label, float score) {
    return DetectedObject.newBuilder()
        .setLabel(label)
        .setScore(score)
        .setBox(
            BoundingBox.newBuilder()
                .setXMin(0.1f)
                .setYMin(0.2f)
                .setXMax(0.1f + score / 2)
                .setYMax(0.9f))
        .build();
  }

  /**
   * A detector's and a classifier's answer.
   *
   * @param unsafe the unsafe score (split over hentai, porn and sexy); NaN for an image the safety
   *     classifier did not score
   */
  public static MediaVisionEvent event(
      String mediaId, String tenant, float unsafe, DetectedObject... objects) {
    MediaVisionEvent.Builder e =
        MediaVisionEvent.newBuilder()
            .setMediaId(mediaId)
            .setTenant(tenant)
            .addAllObjects(List.of(objects))
            .setDetector(DETECTOR)
            .setImageWidth(640)
            .setImageHeight(480)
            .setAnalysedAt(
                com.google.protobuf.Timestamp.newBuilder()
                    .setSeconds(ANALYSED_AT.getEpochSecond()));
    if (!Float.isNaN(unsafe)) {
      e.addAllSafety(safety(unsafe)).setSafetyModel(SAFETY).setUnsafeScore(unsafe);
    }
    return e.build();
  }

  public static IndexChange.Analysed analysed(
      String mediaId, String tenant, float unsafe, DetectedObject... objects) {
    return new IndexChange.Analysed(
        mediaId, tenant, Vision.fromEvent(event(mediaId, tenant, unsafe, objects)));
  }

  private static List<ClassScore> safety(float unsafe) {
    List<ClassScore> scores = new ArrayList<>();
    float safe = 1 - unsafe;
    scores.add(score("drawing", safe / 2));
    scores.add(score("hentai", unsafe / 4));
    scores.add(score("neutral", safe / 2));
    scores.add(score("porn", unsafe / 4));
    scores.add(score("sexy", unsafe / 2));
    return scores;
  }

  private static ClassScore score(String label, float score) {
    return ClassScore.newBuilder().setLabel(label).setScore(score).build();
  }
}
