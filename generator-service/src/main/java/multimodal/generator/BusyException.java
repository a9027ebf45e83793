package multimodal.generator;

/** Too many generations already run or wait: the caller should retry later. */
public class BusyException extends RuntimeException {
  public BusyException(String message) {
    super(message);
  }
}
