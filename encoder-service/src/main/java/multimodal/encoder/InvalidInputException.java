package multimodal.encoder;

/**
 * A caller's input can never be embedded (empty text, undecodable image, over a limit). Maps to
 * gRPC INVALID_ARGUMENT and, on Kafka, to a dead letter.
 */
public class InvalidInputException extends RuntimeException {
  private final String field;
  private final String description;

  /**
   * @param field which item is wrong, e.g. {@code texts[2]} or {@code images[0]}
   * @param description what is wrong with it
   */
  public InvalidInputException(String field, String description) {
    super(field + ": " + description);
    this.field = field;
    this.description = description;
  }

  public InvalidInputException(String field, String description, Throwable cause) {
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
