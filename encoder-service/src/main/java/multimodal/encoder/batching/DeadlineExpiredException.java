package multimodal.encoder.batching;

/** The caller's deadline passed before the work ran; it was dropped (gRPC DEADLINE_EXCEEDED). */
public class DeadlineExpiredException extends RuntimeException {
  public DeadlineExpiredException(String message) {
    super(message);
  }
}
