package multimodal.retrieval;

/** No vectors of the requested model name are in the index, or the encoder does not know it. */
public class ModelNotFoundException extends RuntimeException {
  private final String model;

  public ModelNotFoundException(String model, String message) {
    super(message);
    this.model = model;
  }

  public String model() {
    return model;
  }
}
