package multimodal.gateway.messaging;

/** Reactive Messaging channel names; topics are set in application.properties. */
public final class Channels {
  /** Writes media.ingest.v1 (structured JSON CloudEvents, key = media id). */
  public static final String INGEST_OUT = "ingest-out";

  private Channels() {}
}
