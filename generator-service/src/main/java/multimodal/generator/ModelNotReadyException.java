package multimodal.generator;

/** The models are still loading (or failed to load). */
public class ModelNotReadyException extends RuntimeException {
  public ModelNotReadyException(String message) {
    super(message);
  }
}
