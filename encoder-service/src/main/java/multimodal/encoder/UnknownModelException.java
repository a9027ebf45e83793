package multimodal.encoder;

import java.util.Collection;

/** A request named a model this replica does not serve. Maps to gRPC NOT_FOUND. */
public class UnknownModelException extends RuntimeException {
  private final String model;

  public UnknownModelException(String model, Collection<String> known) {
    super("unknown model '" + model + "'; served: " + String.join(", ", known));
    this.model = model;
  }

  public String model() {
    return model;
  }
}
