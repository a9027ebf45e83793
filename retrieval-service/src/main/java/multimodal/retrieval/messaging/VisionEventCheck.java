package multimodal.retrieval.messaging;

import multimodal.v1.ClassScore;
import multimodal.v1.DetectedObject;
import multimodal.v1.MediaVisionEvent;

/** Rejects a media.vision.v1 event the index cannot hold faithfully, saying which part is wrong. */
final class VisionEventCheck {
  private VisionEventCheck() {}

  /**
   * @throws InvalidEventException naming the first bad field
   */
  static void check(MediaVisionEvent event) {
    for (int i = 0; i < event.getObjectsCount(); i++) {
      DetectedObject o = event.getObjects(i);
      if (o.getLabel().isBlank()) {
        throw new InvalidEventException("objects[%d].label is empty".formatted(i));
      }
      probability("objects[%d].score".formatted(i), o.getScore());
    }
    for (int i = 0; i < event.getSafetyCount(); i++) {
      ClassScore c = event.getSafety(i);
      if (c.getLabel().isBlank()) {
        throw new InvalidEventException("safety[%d].label is empty".formatted(i));
      }
      probability("safety[%d].score".formatted(i), c.getScore());
    }
    if (event.getSafetyCount() > 0) {
      // Safe search compares it with a threshold in (0, 1]: a value outside [0, 1] would be
      // misread.
      probability("unsafe_score", event.getUnsafeScore());
    }
    if (event.getImageWidth() < 0 || event.getImageHeight() < 0) {
      throw new InvalidEventException(
          "image size %dx%d is negative".formatted(event.getImageWidth(), event.getImageHeight()));
    }
  }

  // Sums and softmax outputs of float32 models may exceed 1 by a rounding error.
  private static final float ROUNDING = 1e-4f;

  private static void probability(String field, float value) {
    if (!(value >= 0f && value <= 1f + ROUNDING)) {
      throw new InvalidEventException(field + " must be in [0, 1], got " + value);
    }
  }
}
