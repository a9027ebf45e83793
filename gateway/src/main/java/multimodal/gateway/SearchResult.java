package multimodal.gateway;

import java.util.List;
import java.util.Map;

/**
 * JSON answer of the search endpoints.
 *
 * @param safeSearch whether unsafe items were filtered out of this answer, and at what threshold
 */
public record SearchResult(
    String query, ModelRef model, SafeSearch safeSearch, List<Hit> hits, String nextPageToken) {

  /**
   * The model version whose vectors answered the query.
   *
   * @param fixture true when it is a generated demo fixture CLIP (colours and shapes only)
   */
  public record ModelRef(String name, String version, boolean fixture) {}

  /**
   * @param on true: items whose unsafeScore is above unsafeThreshold were left out
   * @param unsafeThreshold the threshold in force (also what the web UI blurs above when safe
   *     search is off)
   */
  public record SafeSearch(boolean on, float unsafeThreshold) {}

  /**
   * @param score cosine similarity for vector queries, fused score for hybrid ones
   * @param sources with explain: which sources matched (clip, bm25, dense_text) and their scores
   * @param ingestedAt ISO-8601 instant, or null when unknown
   * @param captionFixture true when the caption was written by a demo fixture captioner
   * @param objects what the object detector found, best first (empty until analysed)
   * @param safety safety class scores, or null until the item has been scored
   * @param segments for audio items found by their transcript: the segments the query matched, best
   *     first, with their time range; for video items found by a vector query: the keyframes'
   *     scenes that match it best, best first, with their time range and cosine (text empty); the
   *     web UI plays a video from the first one's start (empty otherwise)
   */
  public record Hit(
      String mediaId,
      float score,
      String contentType,
      Map<String, String> metadata,
      String ingestedAt,
      Map<String, Float> sources,
      String caption,
      boolean captionFixture,
      String ocrText,
      List<String> tags,
      List<Vision.DetectedObject> objects,
      Vision.Safety safety,
      List<Segment> segments) {}

  /**
   * A stretch of a recording: milliseconds from its start, what was said in it, and the share of
   * the query's terms it holds.
   */
  public record Segment(long startMs, long endMs, String text, float score) {}
}
