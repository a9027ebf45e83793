package multimodal.encoder.inference;

/** A model directory cannot be served: a file is missing or a graph has the wrong interface. */
public class ModelLoadException extends RuntimeException {
  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
