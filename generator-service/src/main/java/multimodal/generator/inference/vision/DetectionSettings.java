package multimodal.generator.inference.vision;

/**
 * How raw detections become tags: objects scoring above {@code minScore}, boxes overlapping a
 * better one by {@code iouThreshold} or more dropped, at most {@code maxObjects}. With {@code
 * classAware} only boxes of the same class suppress each other; off (human's way) a cup inside a
 * dining table's box suppresses the table.
 */
public record DetectionSettings(
    float minScore, float iouThreshold, int maxObjects, boolean classAware) {
  /**
   * @vladmandic/human's defaults for this CenterNet (config.object): minConfidence 0.2,
   *     iouThreshold 0.4, maxDetected 10.
   */
  public static final DetectionSettings HUMAN_DEFAULTS =
      new DetectionSettings(0.2f, 0.4f, 10, false);

  public DetectionSettings {
    if (minScore < 0 || minScore >= 1) {
      throw new IllegalArgumentException("min score must be in [0, 1), got " + minScore);
    }
    if (iouThreshold <= 0 || iouThreshold > 1) {
      throw new IllegalArgumentException("IoU threshold must be in (0, 1], got " + iouThreshold);
    }
    if (maxObjects < 1) {
      throw new IllegalArgumentException("max objects must be at least 1, got " + maxObjects);
    }
  }

  public DetectionSettings withClassAware(boolean perClass) {
    return new DetectionSettings(minScore, iouThreshold, maxObjects, perClass);
  }

  public DetectionSettings withMinScore(float score) {
    return new DetectionSettings(score, iouThreshold, maxObjects, classAware);
  }
}
