package multimodal.generator.diffusion;

/** Generate was asked for while no diffusion model is configured. */
public class DiffusionOffException extends RuntimeException {
  public DiffusionOffException(String message) {
    super(message);
  }
}
