package multimodal.encoder;

import multimodal.v1.InvalidFieldException;

/**
 * A caller's input can never be embedded (empty text, undecodable image, over a limit). Maps to
 * gRPC INVALID_ARGUMENT and, on Kafka, to a dead letter.
 */
public class InvalidInputException extends InvalidFieldException {
  public InvalidInputException(String field, String description) {
    super(field, description, null);
  }

  public InvalidInputException(String field, String description, Throwable cause) {
    super(field, description, cause);
  }
}
