package multimodal.generator.inference.diffusion;

/** Told after each denoising step (on the generating thread): e.g. a progress event to a client. */
@FunctionalInterface
public interface DiffusionProgress {
  DiffusionProgress NONE = (step, steps) -> {};

  /**
   * One more step is done.
   *
   * @param step steps done, 1 … {@code steps}
   */
  void stepped(int step, int steps);
}
