package multimodal.generator.inference.vision;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * nsfwjs's safety classifier (MobileNetV2 "mid": Drawing, Hentai, Neutral, Porn, Sexy), fed as
 * nsfwjs's {@code core.js} feeds it: RGB divided by 255, then {@code tf.image.resizeBilinear} with
 * {@code alignCorners=true} to the model's size (skipped when the image already has it). The graph
 * ends in Softmax, so its output is the class probabilities; the unsafe score is the sum of hentai,
 * porn and sexy. Thread-safe.
 */
public final class SafetyClassifier extends VisionModel {
  /** nsfwjs's classes that are not safe for work. */
  static final Set<String> UNSAFE = Set.of("hentai", "porn", "sexy");

  private static final float[] UNIT_VALUES = TfBilinearResize.unitValues();

  /**
   * A softmax row sums to 1 up to float rounding; anything else means the graph is not what we
   * think.
   */
  private static final double SUM_TOLERANCE = 1e-3;

  /**
   * labels.txt's classes in lower case, as the contract names them (media.vision.v1) and as COCO's
   * are.
   */
  private final List<String> classes;

  private SafetyClassifier(VisionModelDir dir, VisionSession session) {
    super(dir, session);
    this.classes = dir.labels().stream().map(label -> label.toLowerCase(Locale.ROOT)).toList();
    long unsafe = classes.stream().filter(UNSAFE::contains).count();
    if (unsafe != UNSAFE.size()) {
      session.close();
      throw new IllegalStateException(
          dir.dir().resolve(VisionModelDir.LABELS).toAbsolutePath()
              + " must name the unsafe classes "
              + UNSAFE
              + ", has "
              + dir.labels());
    }
  }

  public static SafetyClassifier load(
      VisionModelDir dir, OrtEnvironment env, OrtSession.SessionOptions options)
      throws OrtException {
    return new SafetyClassifier(dir, VisionSession.open(dir, env, options, null));
  }

  /** The input the model gets for one image: {@code [size, size, 3]} floats in 0..1. */
  public float[] preprocess(RgbPixels image) {
    return input(session, image, SafetyClassifier::write);
  }

  private static void write(VisionSession session, RgbPixels image, float[] pixels, int offset) {
    if (image.height() == session.height() && image.width() == session.width()) {
      TfBilinearResize.copy(image, UNIT_VALUES, pixels, offset);
    } else {
      TfBilinearResize.resize(
          image, session.height(), session.width(), true, UNIT_VALUES, pixels, offset);
    }
  }

  /** Scores per image, in order; one run for all when the graph's batch is dynamic. */
  public List<SafetyScores> classify(List<RgbPixels> images) throws OrtException {
    List<SafetyScores> results = new ArrayList<>(images.size());
    for (float[] probabilities : runEach(images, SafetyClassifier::write)) {
      if (probabilities.length != classes.size()) {
        throw new IllegalStateException(
            dir.model().toAbsolutePath()
                + " gave "
                + probabilities.length
                + " values for an image, but labels.txt has "
                + classes.size()
                + " classes");
      }
      results.add(scores(probabilities));
    }
    return results;
  }

  private SafetyScores scores(float[] probabilities) {
    List<SafetyScores.ClassProbability> scored = new ArrayList<>(classes.size());
    double sum = 0;
    float unsafe = 0;
    for (int c = 0; c < classes.size(); c++) {
      float p = probabilities[c];
      sum += p;
      scored.add(new SafetyScores.ClassProbability(classes.get(c), p));
      if (UNSAFE.contains(classes.get(c))) {
        unsafe += p;
      }
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw new IllegalStateException(
          dir.model().toAbsolutePath()
              + ": output is not a probability distribution (sums to "
              + sum
              + "); expected the graph's Softmax");
    }
    return new SafetyScores(List.copyOf(scored), Math.min(1f, unsafe));
  }
}
