package multimodal.encoder;

/** The models are still loading or warming up. Maps to gRPC UNAVAILABLE (retry later). */
public class ModelNotReadyException extends RuntimeException {
  public ModelNotReadyException(String message) {
    super(message);
  }
}
