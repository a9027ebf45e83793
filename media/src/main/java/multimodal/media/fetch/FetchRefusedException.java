package multimodal.media.fetch;

/**
 * A URI that can never be fetched under the policy (bad scheme, forbidden address, HTTP 4xx, too
 * large): retrying cannot help. Services map it to their invalid-input error (gRPC
 * INVALID_ARGUMENT, a dead letter on Kafka), keeping {@link #field()} and {@link #description()}
 * as the field violation. Not a subclass of the contracts' {@code InvalidFieldException}: the
 * media library does not depend on the contracts module.
 */
public class FetchRefusedException extends RuntimeException {
  private final String field;
  private final String description;

  /**
   * @param field the request or event field that held the URI, e.g. {@code data.uri}
   * @param description why it is refused, without the field name
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
