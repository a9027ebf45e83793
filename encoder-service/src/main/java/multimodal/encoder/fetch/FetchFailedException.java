package multimodal.encoder.fetch;

/**
 * A fetch failed for a reason that may pass (timeout, connection refused, HTTP 5xx). Unlike an
 * {@link multimodal.encoder.InvalidInputException}, retrying can help: gRPC maps it to
 * UNAVAILABLE.
 */
public class FetchFailedException extends RuntimeException {
  public FetchFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
