package multimodal.encoder;

/**
 * One embedding and the model that produced it.
 *
 * @param modelName logical model name (e.g. {@code clip})
 * @param modelVersion version of the weights (e.g. {@code fixture-colour-shape-1})
 * @param values the vector, L2-normalised (by the model or by the encoder)
 */
public record Embedding(String modelName, String modelVersion, float[] values) {

  public int dimension() {
    return values.length;
  }

  /** Wraps a raw model output after dividing it by its L2 norm (a zero vector stays zero). */
  public static Embedding normalised(String modelName, String modelVersion, float[] raw) {
    double sum = 0;
    for (float v : raw) {
      sum += (double) v * v;
    }
    float[] values = raw.clone();
    if (sum > 0) {
      float scale = (float) (1.0 / Math.sqrt(sum));
      for (int i = 0; i < values.length; i++) {
        values[i] *= scale;
      }
    }
    return new Embedding(modelName, modelVersion, values);
  }

  @Override
  public String toString() {
    // Never print the vector.
    return "Embedding[" + modelName + ":" + modelVersion + ", dim=" + values.length + "]";
  }
}
