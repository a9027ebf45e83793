package multimodal.generator.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NonMaxSuppressionTest {
  // [y1, x1, y2, x2]
  private static final float[] BOXES = {
    0, 0, 10, 10, // 0
    0, 1, 10, 11, // 1: IoU with 0 = 90/110 = 0.82
    0, 20, 10, 30, // 2: apart
    0, 5, 10, 15, // 3: IoU with 0 = 50/150 = 0.33
  };

  @Test
  void keepsTheBestAndDropsBoxesOverlappingAKeptOne() {
    float[] scores = {0.9f, 0.8f, 0.7f, 0.6f};
    assertThat(NonMaxSuppression.select(BOXES, scores, 10, 0.4f, 0.2f)).containsExactly(0, 2, 3);
  }

  @Test
  void anOverlapEqualToTheThresholdSuppresses() {
    float[] boxes = {0, 0, 10, 10, 0, 0, 10, 5}; // IoU exactly 0.5
    float[] scores = {0.9f, 0.8f};
    assertThat(NonMaxSuppression.select(boxes, scores, 10, 0.5f, 0f)).containsExactly(0);
  }

  @Test
  void scoresMustBeStrictlyAboveTheThresholdAndTiesGoToTheLowerIndex() {
    float[] scores = {0.3f, 0.5f, 0.5f, 0.2f};
    assertThat(NonMaxSuppression.select(BOXES, scores, 10, 0.9f, 0.2f)).containsExactly(1, 2, 0);
  }

  @Test
  void stopsAtTheMaximumAndBoxesWithoutAreaOverlapNothing() {
    float[] boxes = {0, 0, 10, 10, 5, 5, 5, 5, 0, 0, 10, 10};
    float[] scores = {0.9f, 0.8f, 0.7f};
    assertThat(NonMaxSuppression.select(boxes, scores, 2, 0.4f, 0f)).containsExactly(0, 1);
    assertThat(NonMaxSuppression.iou(boxes, 0, 1)).isZero();
  }
}
