package multimodal.gateway;

import java.util.List;
import java.util.Map;

/** JSON answer of {@code GET /v1/search}. */
public record SearchResult(String query, ModelRef model, List<Hit> hits) {

  /** The model version whose vectors answered the query. */
  public record ModelRef(String name, String version) {}

  /**
   * @param score cosine similarity in [-1, 1]
   * @param ingestedAt ISO-8601 instant, or null when unknown
   */
  public record Hit(String mediaId, float score, String contentType, Map<String, String> metadata, String ingestedAt) {}
}
