package multimodal.media.fetch;

import multimodal.v1.InvalidFieldException;

/**
 * A URI that can never be fetched under the policy (bad scheme, forbidden address, HTTP 4xx, too
 * large): retrying cannot help. Services map it to their invalid-input error (gRPC
 * INVALID_ARGUMENT, a dead letter on Kafka).
 */
public class FetchRefusedException extends InvalidFieldException {
  public FetchRefusedException(String field, String description) {
    super(field, description, null);
  }
}
