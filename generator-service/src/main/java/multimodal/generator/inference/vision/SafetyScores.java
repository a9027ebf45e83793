package multimodal.generator.inference.vision;

import java.util.List;

/**
 * A safety classifier's answer for one image: every class with its probability, in the model's
 * label order, and the summed probability of the unsafe classes.
 */
public record SafetyScores(List<ClassProbability> classes, float unsafe) {
  public record ClassProbability(String label, float probability) {}

  /** The most probable class. */
  public String top() {
    ClassProbability best = classes.get(0);
    for (ClassProbability c : classes) {
      if (c.probability() > best.probability()) {
        best = c;
      }
    }
    return best.label();
  }
}
