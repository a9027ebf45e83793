package multimodal.generator.inference.speech;

/**
 * A recogniser failed on one clip (the engine exited with an error, or ran over its time limit).
 * The message is the reason an operator reads in the dead letter.
 */
public class SpeechRecognitionException extends RuntimeException {
  public SpeechRecognitionException(String message) {
    super(message);
  }
}
