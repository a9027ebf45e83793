package multimodal.retrieval;

/** A query the caller must fix (mapped to INVALID_ARGUMENT with a BadRequest field violation). */
public class InvalidRequestException extends RuntimeException {
  private final String field;

  public InvalidRequestException(String field, String description) {
    super(description);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
