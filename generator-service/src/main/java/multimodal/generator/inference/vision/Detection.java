package multimodal.generator.inference.vision;

/**
 * An object the detector found: a label of its class list, its score, and its box as fractions of
 * the original image's width and height (0 = left/top, 1 = right/bottom).
 */
public record Detection(
    String label, float score, float xMin, float yMin, float xMax, float yMax) {}
