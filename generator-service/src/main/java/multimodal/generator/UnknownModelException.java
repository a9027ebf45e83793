package multimodal.generator;

/** A request named a model this service does not serve. */
public class UnknownModelException extends RuntimeException {
  private final String model;

  public UnknownModelException(String model, String message) {
    super(message);
    this.model = model;
  }

  public String model() {
    return model;
  }
}
