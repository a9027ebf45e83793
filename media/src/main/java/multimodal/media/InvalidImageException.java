package multimodal.media;

/**
 * Image bytes that cannot be used: empty, over a limit, or not decodable. Each service turns it
 * into its own refusal (gRPC INVALID_ARGUMENT, HTTP 400, a dead letter), keeping {@link #field()}
 * and {@link #reason()} as the field violation.
 */
public class InvalidImageException extends IllegalArgumentException {
  private final String field;
  private final String reason;

  public InvalidImageException(String field, String reason) {
    this(field, reason, null);
  }

  public InvalidImageException(String field, String reason, Throwable cause) {
    super(field + ": " + reason, cause);
    this.field = field;
    this.reason = reason;
  }

  /** The request or event field that held the image, e.g. {@code images[0]}. */
  public String field() {
    return field;
  }

  /** Why the image was refused, without the field name. */
  public String reason() {
    return reason;
  }
}
