package multimodal.generator.inference.vision;

import java.util.List;
import java.util.Optional;

/**
 * What the vision models say about one image: its size, the tags (empty without a detector), the
 * safety scores (empty without a classifier) and each model's time per image (its batch's time
 * divided by the images in it).
 */
public record VisionResult(
    int width,
    int height,
    List<Detection> objects,
    Optional<SafetyScores> safety,
    long detectMicros,
    long safetyMicros) {}
