package multimodal.retrieval.search;

import java.util.List;
import java.util.Map;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.index.MediaItem;
import multimodal.v1.TimedText;

/**
 * One page of hits, best first.
 *
 * @param model the model version whose vectors answered (image model, else the sentence model; null
 *     for a BM25-only answer)
 * @param nextPageToken empty when there are no more results
 */
public record SearchResult(ModelVersion model, List<Hit> hits, String nextPageToken) {
  /**
   * @param score cosine for a single vector source, BM25 score for BM25 alone, otherwise the
   *     weighted reciprocal-rank-fusion score
   * @param sourceScores each matching source's own score (filled with explain)
   * @param keyframes for a video hit of a query with an image-model vector: its best keyframes
   *     ({@link KeyframeMatches}); empty otherwise
   */
  public record Hit(
      MediaItem item, float score, Map<String, Float> sourceScores, List<TimedText> keyframes) {
    public Hit(MediaItem item, float score, Map<String, Float> sourceScores) {
      this(item, score, sourceScores, List.of());
    }
  }
}
