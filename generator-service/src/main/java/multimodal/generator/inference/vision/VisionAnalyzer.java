package multimodal.generator.inference.vision;

import ai.onnxruntime.OrtException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Runs the detector and the safety classifier (either may be absent) over a batch of images. Each
 * image's pixels are read once and resized separately for each model.
 */
public final class VisionAnalyzer implements AutoCloseable {
  private final Optional<ObjectDetector> detector;
  private final Optional<SafetyClassifier> safety;

  public VisionAnalyzer(Optional<ObjectDetector> detector, Optional<SafetyClassifier> safety) {
    if (detector.isEmpty() && safety.isEmpty()) {
      throw new IllegalArgumentException(
          "a vision analyzer needs a detector, a safety classifier or both");
    }
    this.detector = detector;
    this.safety = safety;
  }

  public List<VisionResult> analyze(List<BufferedImage> images, DetectionSettings settings)
      throws OrtException {
    List<RgbPixels> pixels = images.stream().map(RgbPixels::of).toList();
    long start = System.nanoTime();
    List<List<Detection>> objects =
        detector.isPresent()
            ? detector.get().detect(pixels, settings)
            : Collections.nCopies(pixels.size(), List.of());
    long detected = System.nanoTime();
    List<Optional<SafetyScores>> scores = new ArrayList<>(pixels.size());
    if (safety.isPresent()) {
      safety.get().classify(pixels).forEach(s -> scores.add(Optional.of(s)));
    } else {
      pixels.forEach(p -> scores.add(Optional.empty()));
    }
    long classified = System.nanoTime();
    long detectMicros = detector.isPresent() ? (detected - start) / 1_000 / pixels.size() : 0;
    long safetyMicros = safety.isPresent() ? (classified - detected) / 1_000 / pixels.size() : 0;
    List<VisionResult> results = new ArrayList<>(pixels.size());
    for (int i = 0; i < pixels.size(); i++) {
      results.add(
          new VisionResult(
              pixels.get(i).width(),
              pixels.get(i).height(),
              objects.get(i),
              scores.get(i),
              detectMicros,
              safetyMicros));
    }
    return results;
  }

  public Optional<ObjectDetector> detector() {
    return detector;
  }

  public Optional<SafetyClassifier> safety() {
    return safety;
  }

  @Override
  public void close() {
    detector.ifPresent(ObjectDetector::close);
    safety.ifPresent(SafetyClassifier::close);
  }
}
