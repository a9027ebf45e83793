package multimodal.v1;

/**
 * One field of a request or event that can never be used, and what is wrong with it. The services'
 * invalid-input errors and the fetcher's refusals share this shape, so each maps to gRPC
 * INVALID_ARGUMENT with a BadRequest naming the field, or to a dead letter with the reason.
 */
public class InvalidFieldException extends RuntimeException {
  private final String field;
  private final String description;

  /**
   * @param field which item is wrong, e.g. {@code texts[2]}, {@code images[0]} or {@code data.uri}
   * @param description what is wrong with it
   */
  public InvalidFieldException(String field, String description, Throwable cause) {
    super(field + ": " + description, cause);
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
