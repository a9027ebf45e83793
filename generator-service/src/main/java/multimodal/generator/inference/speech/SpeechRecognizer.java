package multimodal.generator.inference.speech;

/**
 * Turns decoded speech into a timed transcript. The service depends on this interface only, so
 * another engine (for instance a Whisper ONNX export run on ONNX Runtime) plugs in beside
 * PocketSphinx without touching the consumer or the contracts.
 */
public interface SpeechRecognizer {
  RecognizerInfo info();

  /**
   * Transcribes one clip.
   *
   * @throws SpeechRecognitionException when the engine fails on this clip or runs over its time
   *     limit; the message says which
   */
  Transcript transcribe(Pcm16k audio);
}
