package multimodal.generator.inference.vision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code tf.image.nonMaxSuppression} (TensorFlow.js's {@code nonMaxSuppressionImpl}, hard NMS):
 * candidates scoring strictly above the threshold, best first (equal scores: lower index first),
 * each kept unless its IoU with an already kept box is at least {@code iouThreshold}, up to {@code
 * maxOutput}. Boxes are {@code [y1, x1, y2, x2]} in any corner order; a box without area overlaps
 * nothing. Hand-written: it is a dozen lines, and the tie and threshold rules must be TF's for the
 * tags to equal the reference's.
 */
public final class NonMaxSuppression {
  private NonMaxSuppression() {}

  /** Indices of the kept boxes, best first. {@code boxes} holds 4 values per score. */
  public static List<Integer> select(
      float[] boxes, float[] scores, int maxOutput, float iouThreshold, float scoreThreshold) {
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] > scoreThreshold) {
        candidates.add(i);
      }
    }
    candidates.sort(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
    List<Integer> selected = new ArrayList<>();
    for (int candidate : candidates) {
      if (selected.size() >= maxOutput) {
        break;
      }
      boolean suppressed = false;
      for (int j = selected.size() - 1; j >= 0 && !suppressed; j--) {
        suppressed = iou(boxes, candidate, selected.get(j)) >= iouThreshold;
      }
      if (!suppressed) {
        selected.add(candidate);
      }
    }
    return selected;
  }

  static double iou(float[] boxes, int i, int j) {
    double yMinI = Math.min(boxes[4 * i], boxes[4 * i + 2]);
    double xMinI = Math.min(boxes[4 * i + 1], boxes[4 * i + 3]);
    double yMaxI = Math.max(boxes[4 * i], boxes[4 * i + 2]);
    double xMaxI = Math.max(boxes[4 * i + 1], boxes[4 * i + 3]);
    double yMinJ = Math.min(boxes[4 * j], boxes[4 * j + 2]);
    double xMinJ = Math.min(boxes[4 * j + 1], boxes[4 * j + 3]);
    double yMaxJ = Math.max(boxes[4 * j], boxes[4 * j + 2]);
    double xMaxJ = Math.max(boxes[4 * j + 1], boxes[4 * j + 3]);
    double areaI = (yMaxI - yMinI) * (xMaxI - xMinI);
    double areaJ = (yMaxJ - yMinJ) * (xMaxJ - xMinJ);
    if (areaI <= 0 || areaJ <= 0) {
      return 0.0;
    }
    double intersection =
        Math.max(Math.min(yMaxI, yMaxJ) - Math.max(yMinI, yMinJ), 0.0)
            * Math.max(Math.min(xMaxI, xMaxJ) - Math.max(xMinI, xMinJ), 0.0);
    return intersection / (areaI + areaJ - intersection);
  }
}
