package multimodal.media.video;

/**
 * Video bytes that cannot be used: an unsupported or mislabelled container, over a limit, or not
 * decodable. Each service turns it into its own refusal (a dead letter with the reason, HTTP 400),
 * keeping {@link #field()} and {@link #reason()}.
 */
public class InvalidVideoException extends IllegalArgumentException {
  private final String field;
  private final String reason;

  public InvalidVideoException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
    this.reason = reason;
  }

  /** The event or request field that held the video, e.g. {@code data.bytes}. */
  public String field() {
    return field;
  }

  /** Why the video was refused, without the field name. */
  public String reason() {
    return reason;
  }
}
