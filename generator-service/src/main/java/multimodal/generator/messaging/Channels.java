package multimodal.generator.messaging;

/** Channel names (application.properties binds them to topics). */
public final class Channels {
  public static final String INGEST_IN = "ingest-in";
  public static final String CAPTIONS_OUT = "captions-out";
  public static final String DEAD_LETTERS_OUT = "ingest-dead-letters";

  private Channels() {}
}
