package multimodal.retrieval;

import java.util.List;

/** Hits, best first, and the model version whose vectors answered. */
public record SearchResult(ModelVersion model, List<ScoredMedia> hits) {}
