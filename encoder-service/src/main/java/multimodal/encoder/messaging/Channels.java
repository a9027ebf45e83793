package multimodal.encoder.messaging;

/** Reactive Messaging channel names; topics are set in application.properties. */
public final class Channels {
  /** media.ingest.v1, JSON CloudEvents, read as raw bytes. */
  public static final String INGEST_IN = "ingest-in";

  /** media.embedding.v1, MediaEmbeddingEvent protobuf. */
  public static final String EMBEDDINGS_OUT = "embeddings-out";

  private Channels() {}
}
