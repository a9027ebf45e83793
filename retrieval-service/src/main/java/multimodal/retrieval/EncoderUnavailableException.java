package multimodal.retrieval;

/** The EncoderService could not embed a query right now; the caller may retry. */
public class EncoderUnavailableException extends RuntimeException {
  public EncoderUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
