package multimodal.encoder;

/** A model run failed (an OrtException or similar); gRPC INTERNAL, Kafka dead letter. */
public class InferenceFailedException extends RuntimeException {
  public InferenceFailedException(Throwable cause) {
    super("inference failed: " + cause.getMessage(), cause);
  }
}
