package multimodal.generator;

import multimodal.v1.InvalidFieldException;

/** A request or event field that cannot be used (bad image, empty question, bad option). */
public class InvalidInputException extends InvalidFieldException {
  public InvalidInputException(String field, String description) {
    super(field, description, null);
  }

  public InvalidInputException(String field, String description, Throwable cause) {
    super(field, description, cause);
  }
}
