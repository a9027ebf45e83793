package multimodal.gateway;

import java.time.Duration;

/**
 * What the domain asks of the search index: whether it holds an item for a tenant. The gRPC client
 * to retrieval-service implements it, so the domain does not depend on the gRPC layer.
 */
public interface MediaIndex {
  /** True if the index holds the item; a NOT_FOUND answer is false, any other failure is thrown. */
  boolean holds(String tenant, String mediaId, Duration timeout);
}
