package multimodal.generator.messaging;

/** Channel names (application.properties binds them to topics). */
public final class Channels {
  public static final String INGEST_IN = "ingest-in";
  public static final String CAPTIONS_OUT = "captions-out";
  public static final String DEAD_LETTERS_OUT = "ingest-dead-letters";

  /**
   * media.ingest.v1 again, group generator-vision (pausable: resumed once the vision models load).
   */
  public static final String VISION_IN = "vision-in";

  public static final String VISION_OUT = "vision-out";
  public static final String VISION_DEAD_LETTERS_OUT = "vision-dead-letters";

  /**
   * media.ingest.v1 a third time, group generator-speech (pausable: resumed when FFmpeg and
   * PocketSphinx are there).
   */
  public static final String SPEECH_IN = "speech-in";

  public static final String SPEECH_OUT = "speech-out";
  public static final String SPEECH_DEAD_LETTERS_OUT = "speech-dead-letters";

  private Channels() {}
}
