package multimodal.retrieval.messaging;

/** A record that can never be applied; its message becomes the dead-letter reason. */
public class InvalidEventException extends RuntimeException {
  public InvalidEventException(String message) {
    super(message);
  }

  public InvalidEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
