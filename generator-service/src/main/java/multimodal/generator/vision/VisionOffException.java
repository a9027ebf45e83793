package multimodal.generator.vision;

/** Vision was asked for but this generator runs without vision models. */
public class VisionOffException extends RuntimeException {
  public VisionOffException(String message) {
    super(message);
  }
}
