package multimodal.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.v1.ClassScore;
import multimodal.v1.ModelRef;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * JSON shapes of the vision enrichment (detected objects, safety scores) and of model identity,
 * shared by search hits, media status and {@code /v1/analyze}, with their mapping from the protos.
 */
public final class Vision {
  private Vision() {}

  /**
   * A model that produced an answer.
   *
   * @param fixture true for a generated demo fixture (it knows colours and shapes only), not real
   *     weights
   */
  public record Model(String name, String version, boolean fixture) {
    /** Null when the backend named no model (e.g. the item was not analysed yet). */
    public static Model of(ModelRef ref) {
      return ref == null || ref.getName().isEmpty()
          ? null
          : new Model(ref.getName(), ref.getVersion(), ref.getFixture());
    }
  }

  /** Fractions of the image's width and height: 0 = left/top edge, 1 = right/bottom edge. */
  public record Box(float xMin, float yMin, float xMax, float yMax) {}

  /** An object the detector found; {@code box} is null when the detector gave none. */
  public record DetectedObject(@Schema(examples = "horse") String label, float score, Box box) {}

  /**
   * @param scores class name (drawing, hentai, neutral, porn, sexy) to probability, in the model's
   *     order
   * @param unsafeScore what safe search compares with its threshold (hentai + porn + sexy)
   */
  public record Safety(Map<String, Float> scores, float unsafeScore) {}

  public static List<DetectedObject> objects(List<multimodal.v1.DetectedObject> objects) {
    return objects.stream()
        .map(
            object ->
                new DetectedObject(
                    object.getLabel(),
                    object.getScore(),
                    object.hasBox()
                        ? new Box(
                            object.getBox().getXMin(),
                            object.getBox().getYMin(),
                            object.getBox().getXMax(),
                            object.getBox().getYMax())
                        : null))
        .toList();
  }

  /** Null until the safety classifier has scored the item. */
  public static Safety safety(List<ClassScore> scores, float unsafeScore) {
    if (scores.isEmpty()) {
      return null;
    }
    Map<String, Float> byLabel = new LinkedHashMap<>();
    scores.forEach(score -> byLabel.put(score.getLabel(), score.getScore()));
    return new Safety(byLabel, unsafeScore);
  }
}
