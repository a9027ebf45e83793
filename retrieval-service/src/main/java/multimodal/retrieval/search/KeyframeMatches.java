package multimodal.retrieval.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.VideoSegments;
import multimodal.v1.TimedText;

/**
 * Which keyframes of a video a vector query matches best, so a video hit says where to start
 * playing: each keyframe's cosine to the query (both unit vectors, so their dot product), the best
 * {@value #MAX_SEGMENTS} first, earlier first on a tie. Exact, over the item's own keyframes (at
 * most {@code encoder.video.max-frames} of them): the index already chose the item.
 */
public final class KeyframeMatches {
  public static final int MAX_SEGMENTS = 3;

  private KeyframeMatches() {}

  /**
   * Empty for items without keyframes, and when the keyframes are of another model than the query
   * vector's.
   */
  public static List<TimedText> best(VideoSegments keyframes, ModelVersion model, float[] unit) {
    if (keyframes == null || unit == null || !keyframes.model().equals(model)) {
      return List.of();
    }
    List<TimedText> scored = new ArrayList<>(keyframes.segments().size());
    for (VideoSegments.Segment segment : keyframes.segments()) {
      if (segment.vector().length != unit.length) {
        continue;
      }
      double dot = 0;
      for (int i = 0; i < unit.length; i++) {
        dot += (double) segment.vector()[i] * unit[i];
      }
      scored.add(TimedText.newBuilder().setTime(segment.time()).setScore((float) dot).build());
    }
    scored.sort(
        Comparator.comparing(TimedText::getScore)
            .reversed()
            .thenComparing(s -> s.getTime().getStartMs()));
    return List.copyOf(scored.subList(0, Math.min(MAX_SEGMENTS, scored.size())));
  }
}
