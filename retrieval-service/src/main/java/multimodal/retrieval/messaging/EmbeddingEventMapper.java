package multimodal.retrieval.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.index.Vectors;
import multimodal.v1.Embedding;
import multimodal.v1.MediaEmbeddingEvent;

/** Parses and checks a media.embedding.v1 record; every rejection names what is wrong. */
public final class EmbeddingEventMapper {
  private final String defaultTenant;

  public EmbeddingEventMapper(String defaultTenant) {
    this.defaultTenant = defaultTenant;
  }

  /**
   * @param key Kafka key (media id), may be null
   * @throws InvalidEventException for a record that cannot be indexed
   */
  public MediaEmbedding fromRecord(String key, byte[] value) {
    if (value == null) {
      throw new InvalidEventException("null value: media.embedding.v1 has no tombstones");
    }
    MediaEmbeddingEvent event;
    try {
      event = MediaEmbeddingEvent.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidEventException("not a MediaEmbeddingEvent: " + e.getMessage(), e);
    }
    String mediaId = event.getMediaId().isEmpty() && key != null ? key : event.getMediaId();
    if (mediaId.isBlank()) {
      throw new InvalidEventException("media_id is missing");
    }
    if (key != null && !key.equals(mediaId)) {
      throw new InvalidEventException("key '" + key + "' differs from media_id '" + mediaId + "'");
    }
    if (!event.hasEmbedding()) {
      throw new InvalidEventException("embedding is missing");
    }
    Embedding embedding = event.getEmbedding();
    if (embedding.getModelName().isBlank() || embedding.getModelVersion().isBlank()) {
      throw new InvalidEventException("embedding.model_name and model_version are required");
    }
    if (embedding.getValuesCount() == 0) {
      throw new InvalidEventException("embedding.values is empty");
    }
    if (embedding.getDimension() != 0 && embedding.getDimension() != embedding.getValuesCount()) {
      throw new InvalidEventException(
          "embedding.dimension %d differs from %d values"
              .formatted(embedding.getDimension(), embedding.getValuesCount()));
    }
    float[] vector = Vectors.values(embedding);
    return new MediaEmbedding(
        mediaId,
        event.getTenant().isBlank() ? defaultTenant : event.getTenant(),
        event.getContentType(),
        event.getMetadataMap(),
        event.getTagsList(),
        event.hasIngestedAt() ? instant(event.getIngestedAt()) : null,
        event.hasEmbeddedAt() ? instant(event.getEmbeddedAt()) : Instant.now(),
        new ModelVersion(embedding.getModelName(), embedding.getModelVersion()),
        vector,
        event.getModelFixture());
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
