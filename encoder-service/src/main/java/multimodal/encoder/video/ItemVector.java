package multimodal.encoder.video;

import java.util.List;
import multimodal.encoder.Embedding;
import multimodal.v1.TimeRange;

/**
 * The one vector of a video item, from its keyframes' vectors: their mean weighted by how long each
 * keyframe stands for, normalised to unit length.
 *
 * <p>Why the mean: the item vector is what every item-level path compares (the HNSW item index,
 * near duplicates, re-ranking), and the normalised mean of unit vectors is the direction closest on
 * average to all of them, so a query about what the video mostly shows finds it. Weighted by time,
 * so a scene shown for a second counts less than one shown for a minute. What one scene shows is
 * found through the keyframes' own vectors (the event's segments), not through this one.
 */
public final class ItemVector {
  private ItemVector() {}

  public static Embedding of(List<Embedding> keyframes, List<TimeRange> times) {
    if (keyframes.isEmpty() || keyframes.size() != times.size()) {
      throw new IllegalArgumentException(
          keyframes.size() + " keyframe vectors for " + times.size() + " time ranges");
    }
    Embedding first = keyframes.get(0);
    double[] sum = new double[first.dimension()];
    for (int i = 0; i < keyframes.size(); i++) {
      TimeRange time = times.get(i);
      // At least 1 ms, so a keyframe at the very end still counts.
      double weight = Math.max(1, time.getEndMs() - time.getStartMs());
      float[] values = keyframes.get(i).values();
      for (int d = 0; d < values.length; d++) {
        sum[d] += weight * values[d];
      }
    }
    float[] mean = new float[sum.length];
    for (int d = 0; d < sum.length; d++) {
      mean[d] = (float) sum[d];
    }
    return Embedding.normalised(first.modelName(), first.modelVersion(), mean);
  }
}
