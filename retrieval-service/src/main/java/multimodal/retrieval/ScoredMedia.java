package multimodal.retrieval;

import java.time.Instant;
import java.util.Map;

/**
 * One search hit.
 *
 * @param score cosine similarity in [-1, 1]
 * @param ingestedAt null when unknown
 */
public record ScoredMedia(
    String mediaId, float score, String contentType, Map<String, String> metadata, Instant ingestedAt) {}
