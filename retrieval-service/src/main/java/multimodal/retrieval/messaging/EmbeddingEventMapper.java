package multimodal.retrieval.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.VideoSegments;
import multimodal.retrieval.index.Vectors;
import multimodal.v1.Embedding;
import multimodal.v1.MediaEmbeddingEvent;
import multimodal.v1.SegmentEmbedding;
import multimodal.v1.TimeRange;

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
        event.getModelFixture(),
        keyframes(event, vector.length));
  }

  /** A video's keyframes, checked like the item vector; null for an event without segments. */
  private static VideoSegments keyframes(MediaEmbeddingEvent event, int dimension) {
    if (event.getSegmentsCount() == 0) {
      return null;
    }
    List<VideoSegments.Segment> segments = new ArrayList<>(event.getSegmentsCount());
    for (int i = 0; i < event.getSegmentsCount(); i++) {
      SegmentEmbedding segment = event.getSegments(i);
      if (segment.getVectorCount() != dimension) {
        throw new InvalidEventException(
            "segments[%d].vector has %d values, the embedding %d"
                .formatted(i, segment.getVectorCount(), dimension));
      }
      TimeRange time = segment.getTime();
      if (time.getStartMs() < 0 || time.getEndMs() < time.getStartMs()) {
        throw new InvalidEventException(
            "segments[%d].time %d..%d ms is not a time range"
                .formatted(i, time.getStartMs(), time.getEndMs()));
      }
      segments.add(
          new VideoSegments.Segment(
              time, Vectors.normalized(VideoSegments.toArray(segment.getVectorList()))));
    }
    Embedding embedding = event.getEmbedding();
    return new VideoSegments(
        new ModelVersion(embedding.getModelName(), embedding.getModelVersion()),
        event.getDurationMs(),
        segments);
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
