package multimodal.encoder.batching;

/** The batch queue is full: the caller should retry later (gRPC RESOURCE_EXHAUSTED + RetryInfo). */
public class OverloadedException extends RuntimeException {
  public OverloadedException(String message) {
    super(message);
  }
}
