package multimodal.retrieval.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.index.Vectors;

/**
 * Near-duplicate removal over hits taken in rank order: a hit whose vector has a cosine of at least
 * the threshold to a kept hit's is a near-duplicate. Used by a single index and by the fan-out's
 * merge (with the vectors the shards send), so both drop the same hits. Not thread-safe: one per
 * search.
 */
public final class NearDuplicates {
  private final float threshold;
  private final List<float[]> kept = new ArrayList<>();

  public NearDuplicates(float threshold) {
    this.threshold = threshold;
  }

  /**
   * The vector a hit is compared by: its CLIP vector of the searched model version; with no image
   * vector at all its sentence vector; null (never a duplicate) when it only has vectors of other
   * image versions, which are not comparable with the kept ones.
   */
  public static float[] vectorOf(
      Map<ModelVersion, float[]> imageVectors, float[] textVector, ModelVersion imageModel) {
    if (imageModel != null && imageVectors.containsKey(imageModel)) {
      return imageVectors.get(imageModel);
    }
    return imageVectors.isEmpty() ? textVector : null;
  }

  /**
   * True when {@code v} is a near-duplicate of a kept vector; otherwise keeps it (when not null).
   */
  public boolean isDuplicate(float[] v) {
    if (v == null) {
      return false;
    }
    for (float[] other : kept) {
      if (other.length == v.length && Vectors.dot(v, other) >= threshold) {
        return true;
      }
    }
    kept.add(v);
    return false;
  }
}
