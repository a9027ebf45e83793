package multimodal.retrieval.messaging;

/** Reactive Messaging channel names (topics are set in application.properties). */
public final class Channels {
  /** media.embedding.v1: MediaEmbeddingEvent protobuf. */
  public static final String EMBEDDINGS_IN = "embeddings-in";

  /** media.ingest.v1: only tombstones are used here so far. */
  public static final String INGEST_IN = "ingest-in";

  private Channels() {}
}
