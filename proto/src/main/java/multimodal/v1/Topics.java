package multimodal.v1;

/** Kafka topic names of the v1 contracts. See docs/topics.md. */
public final class Topics {
  /** Public ingest contract: JSON CloudEvents, key = media id, null value = delete. */
  public static final String MEDIA_INGEST = "media.ingest.v1";

  /** {@link MediaEmbeddingEvent} protobuf, key = media id. */
  public static final String MEDIA_EMBEDDING = "media.embedding.v1";

  /** {@link MediaCaptionEvent} protobuf, key = media id. */
  public static final String MEDIA_CAPTION = "media.caption.v1";

  /** {@link MediaVisionEvent} protobuf (detected objects, safety scores), key = media id. */
  public static final String MEDIA_VISION = "media.vision.v1";

  /**
   * {@link MediaTranscriptEvent} protobuf (what was said in an audio item, with time ranges), key =
   * media id.
   */
  public static final String MEDIA_TRANSCRIPT = "media.transcript.v1";

  /** Dead letters of the encoder's ingest consumer. */
  public static final String MEDIA_INGEST_ENCODER_DLQ = "media.ingest.v1.encoder.dlq";

  /** Dead letters of the generator's ingest consumer. */
  public static final String MEDIA_INGEST_GENERATOR_DLQ = "media.ingest.v1.generator.dlq";

  /** Dead letters of the generator's vision (detection and safety) consumer. */
  public static final String MEDIA_INGEST_VISION_DLQ = "media.ingest.v1.vision.dlq";

  /** Dead letters of the generator's speech (transcription) consumer. */
  public static final String MEDIA_INGEST_SPEECH_DLQ = "media.ingest.v1.speech.dlq";

  /** Dead letters of the retrieval service's consumers. */
  public static final String RETRIEVAL_DLQ = "media.retrieval.v1.dlq";

  private Topics() {}
}
