package multimodal.v1.ingest;

/**
 * A URI that can never be fetched under the policy (bad scheme, forbidden address, HTTP 4xx, too
 * large): retrying cannot help. Services map it to their invalid-input error (gRPC
 * INVALID_ARGUMENT, a dead letter on Kafka).
 */
public class FetchRefusedException extends RuntimeException {
  private final String field;
  private final String description;

  /**
   * @param field which item is wrong, e.g. {@code data.uri} or {@code images[0]}
   * @param description what is wrong with it
   */
  public FetchRefusedException(String field, String description) {
    super(field + ": " + description);
    this.field = field;
    this.description = description;
  }

  public String field() {
    return field;
  }

  public String description() {
    return description;
  }
}
