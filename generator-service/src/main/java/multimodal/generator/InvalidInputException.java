package multimodal.generator;

/** A request or event field that cannot be used (bad image, empty question, bad option). */
public class InvalidInputException extends RuntimeException {
  private final String field;
  private final String description;

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
