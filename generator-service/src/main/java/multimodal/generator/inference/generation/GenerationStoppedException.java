package multimodal.generator.inference.generation;

/** Generation stopped before it finished: the caller cancelled, or the deadline passed. */
public class GenerationStoppedException extends RuntimeException {
  /** Why it stopped. */
  public enum Reason {
    CANCELLED,
    DEADLINE
  }

  private final Reason reason;

  public GenerationStoppedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
