package multimodal.media.fetch;

/**
 * A fetch failed for a reason that may pass (timeout, connection refused, HTTP 5xx): retrying can
 * help. gRPC servers map it to UNAVAILABLE; Kafka consumers retry before dead-lettering.
 */
public class FetchFailedException extends RuntimeException {
  public FetchFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
