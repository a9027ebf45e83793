package multimodal.retrieval.index;

/**
 * Vector arithmetic for the index and for scoring outside it (near-duplicates, zero-shot).
 *
 * <p>The index stores L2-normalised vectors with {@code DOT_PRODUCT} similarity, for which Lucene's
 * score is {@code (1 + dot) / 2} (see {@code VectorSimilarityFunction.DOT_PRODUCT}). On unit
 * vectors dot = cosine, so {@code cosine = 2 * score - 1}.
 */
public final class Vectors {
  private Vectors() {}

  /** A unit-length copy; throws IllegalArgumentException for a zero or non-finite vector. */
  public static float[] normalized(float[] vector) {
    double sumOfSquares = 0;
    for (float v : vector) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("vector has a non-finite value");
      }
      sumOfSquares += (double) v * v;
    }
    if (vector.length == 0 || sumOfSquares == 0) {
      throw new IllegalArgumentException("vector is empty or all zeros");
    }
    double norm = Math.sqrt(sumOfSquares);
    float[] unit = new float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      unit[i] = (float) (vector[i] / norm);
    }
    return unit;
  }

  /** The dot product, summed in double; on unit vectors it is the cosine similarity. */
  public static float dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return (float) sum;
  }

  /** The values of a protobuf {@code Embedding} as an array (as sent: not normalised). */
  public static float[] values(multimodal.v1.Embedding embedding) {
    float[] v = new float[embedding.getValuesCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = embedding.getValues(i);
    }
    return v;
  }

  /** Lucene's DOT_PRODUCT score back to the cosine similarity, clamped to [-1, 1]. */
  public static float cosineFromDotProductScore(float luceneScore) {
    return Math.max(-1f, Math.min(1f, 2f * luceneScore - 1f));
  }
}
