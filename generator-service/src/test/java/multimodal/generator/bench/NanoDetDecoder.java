package multimodal.generator.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import multimodal.generator.inference.vision.Detection;
import multimodal.generator.inference.vision.NonMaxSuppression;

/**
 * NanoDet's six outputs to tags exactly as @vladmandic/human 3.3.6 does it ({@code
 * src/object/nanodet.ts}, {@code process}), for comparing the detectors; not a production class.
 *
 * <p>Per level (grids 13, 26, 52 = human's {@code strideSize} 1, 2, 4): every cell and class
 * scoring above {@code minConfidence} becomes a candidate, except class 61 (toilet), which human
 * leaves out. Its box is NOT the GFL integral of NanoDet's paper (softmax over the 11 bins,
 * expected distance): human takes the arg-max bin of each side and scales it by {@code 2.5 /
 * strideSize * 13 / 416}, and so does this class, to measure the detector the way human ships it.
 * Human also builds {@code [x, y, w, h]} but hands {@code [y, x, h, w]} to {@code
 * tf.image.nonMaxSuppression} as if w and h were corners; kept, since it decides which boxes
 * suppress which. Scores are rounded to two decimals before NMS, as human does; the NMS is
 * class-agnostic.
 */
public final class NanoDetDecoder {
  /** Cells per side of the coarsest grid; the others are 2x and 4x. */
  static final int BASE_GRID = 13;

  static final int[] STRIDE_SIZES = {1, 2, 4};
  static final int SIDES = 4;
  static final int BINS = 11;

  /** Human's {@code scaleBox}: "increase box size". */
  static final double SCALE_BOX = 2.5;

  /** Human skips class index 61 (toilet) outright. */
  static final int SKIPPED_CLASS = 61;

  private final List<String> labels;
  private final int inputSize;

  public NanoDetDecoder(List<String> labels, int inputSize) {
    this.labels = List.copyOf(labels);
    this.inputSize = inputSize;
  }

  public int classCount() {
    return labels.size();
  }

  /**
   * Tags best first. {@code scores[level]} is {@code [cells, classes]} and {@code
   * distributions[level]} {@code [cells, 4 * 11]}, flat, for levels in {@link #STRIDE_SIZES} order.
   */
  public List<Detection> decode(
      float[][] scores,
      float[][] distributions,
      double minConfidence,
      float iouThreshold,
      int maxDetected) {
    List<double[]> boxes = new ArrayList<>(); // [x, y, w, h] as human's boxRaw, clamped to 0..1
    List<Float> rounded = new ArrayList<>();
    List<Integer> classes = new ArrayList<>();
    int classCount = labels.size();
    for (int level = 0; level < STRIDE_SIZES.length; level++) {
      int strideSize = STRIDE_SIZES[level];
      int grid = BASE_GRID * strideSize;
      checkLength("scores", level, scores[level], grid * grid * classCount);
      checkLength("box distributions", level, distributions[level], grid * grid * SIDES * BINS);
      double binScale = (double) grid / strideSize / inputSize;
      for (int cell = 0; cell < grid * grid; cell++) {
        for (int c = 0; c < classCount; c++) {
          float score = scores[level][cell * classCount + c];
          if (score > minConfidence && c != SKIPPED_CLASS) {
            double cx = (0.5 + cell % grid) / grid;
            double cy = (0.5 + cell / grid) / grid;
            double[] offset = new double[SIDES];
            for (int side = 0; side < SIDES; side++) {
              offset[side] = argMax(distributions[level], (cell * SIDES + side) * BINS) * binScale;
            }
            double x = cx - SCALE_BOX / strideSize * offset[0];
            double y = cy - SCALE_BOX / strideSize * offset[1];
            double w = cx + SCALE_BOX / strideSize * offset[2] - x;
            double h = cy + SCALE_BOX / strideSize * offset[3] - y;
            boxes.add(new double[] {clamp(x), clamp(y), clamp(w), clamp(h)});
            rounded.add((float) (Math.round(100.0 * score) / 100.0));
            classes.add(c);
          }
        }
      }
    }
    float[] nmsBoxes = new float[boxes.size() * 4];
    float[] nmsScores = new float[boxes.size()];
    for (int i = 0; i < boxes.size(); i++) {
      double[] b = boxes.get(i);
      nmsBoxes[4 * i] = (float) b[1];
      nmsBoxes[4 * i + 1] = (float) b[0];
      nmsBoxes[4 * i + 2] = (float) b[3];
      nmsBoxes[4 * i + 3] = (float) b[2];
      nmsScores[i] = rounded.get(i);
    }
    // human: results.filter(kept by NMS).sort(by score, descending); JS sorts stably, so ties keep
    // index order
    List<Integer> kept =
        new ArrayList<>(
            NonMaxSuppression.select(
                nmsBoxes, nmsScores, maxDetected, iouThreshold, floatBelow(minConfidence)));
    kept.sort(Comparator.<Integer>comparingDouble(i -> -nmsScores[i]).thenComparingInt(i -> i));
    List<Detection> tags = new ArrayList<>(kept.size());
    for (int i : kept) {
      double[] b = boxes.get(i);
      tags.add(
          new Detection(
              labels.get(classes.get(i)),
              nmsScores[i],
              (float) b[0],
              (float) b[1],
              (float) Math.min(1, b[0] + b[2]),
              (float) Math.min(1, b[1] + b[3])));
    }
    return tags;
  }

  /**
   * Index of the largest of the 11 bins at {@code from}; the first on ties, as {@code tf.argMax}.
   */
  static int argMax(float[] values, int from) {
    int best = 0;
    for (int i = 1; i < BINS; i++) {
      if (values[from + i] > values[from + best]) {
        best = i;
      }
    }
    return best;
  }

  /**
   * The float {@code t} with {@code s > t} exactly when {@code (double) s > threshold} for every
   * float {@code s}: TF.js compares its float32 scores with the JS number 0.2, so a score rounded
   * to 0.20 (float32 0.2000000030) passes; {@code 0.2f} as threshold would drop it.
   */
  static float floatBelow(double threshold) {
    float f = (float) threshold;
    return (double) f > threshold ? Math.nextDown(f) : f;
  }

  private static double clamp(double value) {
    return Math.max(0, Math.min(value, 1));
  }

  private static void checkLength(String what, int level, float[] values, int expected) {
    if (values == null || values.length != expected) {
      throw new IllegalArgumentException(
          "NanoDet "
              + what
              + " of level "
              + level
              + " have "
              + (values == null ? "no output" : values.length + " values")
              + ", expected "
              + expected);
    }
  }
}
