package multimodal.encoder.messaging;

/** Reactive Messaging channel names; topics are set in application.properties. */
public final class Channels {
  /** media.ingest.v1, JSON CloudEvents, read as raw bytes. */
  public static final String INGEST_IN = "ingest-in";

  /** media.embedding.v1, MediaEmbeddingEvent protobuf. */
  public static final String EMBEDDINGS_OUT = "embeddings-out";

  /** media.ingest.v1.encoder.dlq: poison records of a batch, one by one. */
  public static final String DEAD_LETTERS_OUT = "ingest-dead-letters";

  private Channels() {}
}
