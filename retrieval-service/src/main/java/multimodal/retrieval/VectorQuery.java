package multimodal.retrieval;

/**
 * A kNN query over the vectors of one model version, within one tenant.
 *
 * @param k number of hits wanted, already validated (1..max)
 * @param minScore cosine below which hits are dropped; {@code Float.NEGATIVE_INFINITY} for none
 */
public record VectorQuery(String tenant, ModelVersion model, float[] vector, int k, float minScore) {}
