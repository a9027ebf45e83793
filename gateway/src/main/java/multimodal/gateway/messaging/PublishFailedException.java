package multimodal.gateway.messaging;

/**
 * Kafka did not acknowledge an ingest event in time; the caller may retry (same media id, no
 * duplicate).
 */
public class PublishFailedException extends RuntimeException {
  public PublishFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
