package multimodal.generator.inference.vision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns CenterNet's {@code tower_0/detections} rows into tags, as @vladmandic/human's {@code
 * object/centernet.ts} does: each row is {@code x1, y1, x2, y2} in input pixels (of the square
 * model input), score, class index (0 = the first line of labels.txt). The graph keeps the 100 best
 * heatmap peaks (3x3 max-pool peak picking inside it); human then runs class-agnostic {@code
 * tf.image.nonMaxSuppression} with its score threshold, so overlapping peaks of different classes
 * compete too. Boxes become fractions of the input size, which are fractions of the original image
 * because the image was stretched to the input without keeping its aspect ratio; they are clamped
 * to [0, 1]. Unlike human, scores are not truncated to two decimals. Optionally ({@link
 * DetectionSettings#classAware()}) the suppression runs per class instead.
 */
final class CenterNetDecoder {
  static final int ROW = 6;

  private final List<String> labels;
  private final float inputSize;

  CenterNetDecoder(List<String> labels, int inputSize) {
    this.labels = labels;
    this.inputSize = inputSize;
  }

  /**
   * The detections of one image: {@code rows} holds {@code count * 6} values from {@code offset}.
   */
  List<Detection> decode(float[] rows, int offset, int count, DetectionSettings settings) {
    float[] boxes = new float[4 * count];
    float[] scores = new float[count];
    for (int i = 0; i < count; i++) {
      int row = offset + i * ROW;
      // tf.image.nonMaxSuppression wants [y1, x1, y2, x2]
      boxes[4 * i] = rows[row + 1];
      boxes[4 * i + 1] = rows[row];
      boxes[4 * i + 2] = rows[row + 3];
      boxes[4 * i + 3] = rows[row + 2];
      scores[i] = rows[row + 4];
    }
    List<Detection> detections = new ArrayList<>();
    for (int i :
        settings.classAware()
            ? perClass(rows, offset, boxes, scores, settings)
            : NonMaxSuppression.select(
                boxes,
                scores,
                settings.maxObjects(),
                settings.iouThreshold(),
                settings.minScore())) {
      int row = offset + i * ROW;
      float classValue = rows[row + 5];
      if (Float.isNaN(classValue)) {
        continue; // human skips these too
      }
      int index = (int) classValue;
      if (index != classValue || index < 0 || index >= labels.size()) {
        throw new IllegalStateException(
            "detector returned class index "
                + classValue
                + ", but labels.txt has "
                + labels.size()
                + " labels");
      }
      detections.add(
          new Detection(
              labels.get(index),
              scores[i],
              unit(rows[row]),
              unit(rows[row + 1]),
              unit(rows[row + 2]),
              unit(rows[row + 3])));
    }
    return detections;
  }

  /** Suppression within each class; the survivors best first (equal scores: lower row first). */
  private static List<Integer> perClass(
      float[] rows, int offset, float[] boxes, float[] scores, DetectionSettings settings) {
    Map<Float, List<Integer>> byClass = new HashMap<>();
    for (int i = 0; i < scores.length; i++) {
      byClass.computeIfAbsent(rows[offset + i * ROW + 5], c -> new ArrayList<>()).add(i);
    }
    List<Integer> kept = new ArrayList<>();
    for (List<Integer> members : byClass.values()) {
      float[] classBoxes = new float[4 * members.size()];
      float[] classScores = new float[members.size()];
      for (int m = 0; m < members.size(); m++) {
        System.arraycopy(boxes, 4 * members.get(m), classBoxes, 4 * m, 4);
        classScores[m] = scores[members.get(m)];
      }
      for (int m :
          NonMaxSuppression.select(
              classBoxes,
              classScores,
              settings.maxObjects(),
              settings.iouThreshold(),
              settings.minScore())) {
        kept.add(members.get(m));
      }
    }
    kept.sort(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
    return kept.subList(0, Math.min(kept.size(), settings.maxObjects()));
  }

  private float unit(float pixels) {
    return Math.min(1f, Math.max(0f, pixels / inputSize));
  }
}
