package multimodal.gateway;

import java.util.List;
import java.util.Map;

/** JSON answer of the search endpoints. */
public record SearchResult(String query, ModelRef model, List<Hit> hits, String nextPageToken) {

  /** The model version whose vectors answered the query. */
  public record ModelRef(String name, String version) {}

  /**
   * @param score cosine similarity for vector queries, fused score for hybrid ones
   * @param sources with explain: which sources matched (clip, bm25, dense_text) and their scores
   * @param ingestedAt ISO-8601 instant, or null when unknown
   */
  public record Hit(
      String mediaId,
      float score,
      String contentType,
      Map<String, String> metadata,
      String ingestedAt,
      Map<String, Float> sources,
      String caption,
      String ocrText,
      List<String> tags) {}
}
