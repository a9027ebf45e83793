package multimodal.encoder.messaging;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.List;
import multimodal.encoder.Embedding;
import multimodal.encoder.proto.EmbeddingProtos;
import multimodal.v1.MediaEmbeddingEvent;
import multimodal.v1.SegmentEmbedding;
import multimodal.v1.TimeRange;
import multimodal.v1.ingest.IngestEvent;

/** Builds the media.embedding.v1 event that answers one ingest event. */
public final class EmbeddingEvents {
  private EmbeddingEvents() {}

  /**
   * @param modelFixture whether the model is a generated demo fixture rather than trained weights
   *     (its config.json says {@code fixture: true}); consumers show such output as a demo
   */
  public static MediaEmbeddingEvent of(
      IngestEvent source,
      Embedding embedding,
      boolean modelFixture,
      Instant embeddedAt,
      long fetchMicros,
      long inferenceMicros) {
    MediaEmbeddingEvent.Builder event =
        MediaEmbeddingEvent.newBuilder()
            .setMediaId(source.mediaId())
            .setTenant(source.tenant())
            .setEmbedding(EmbeddingProtos.toProto(embedding))
            .setModelFixture(modelFixture)
            .setSourceEventId(source.eventId())
            .setEmbeddedAt(timestamp(embeddedAt))
            .putAllMetadata(source.metadata())
            .addAllTags(source.tags())
            .setFetchMicros(fetchMicros)
            .setInferenceMicros(inferenceMicros);
    if (source.contentType() != null) {
      event.setContentType(source.contentType());
    }
    if (source.time() != null) {
      event.setIngestedAt(timestamp(source.time()));
    }
    return event.build();
  }

  /**
   * The event of a video item: {@code item} is its one vector ({@code ItemVector}), each keyframe's
   * own vector goes with its time range into {@code segments}.
   */
  public static MediaEmbeddingEvent ofVideo(
      IngestEvent source,
      Embedding item,
      List<Embedding> keyframes,
      List<TimeRange> times,
      long durationMs,
      boolean modelFixture,
      Instant embeddedAt,
      long fetchMicros,
      long inferenceMicros) {
    MediaEmbeddingEvent.Builder event =
        of(source, item, modelFixture, embeddedAt, fetchMicros, inferenceMicros).toBuilder()
            .setDurationMs(durationMs);
    for (int i = 0; i < keyframes.size(); i++) {
      SegmentEmbedding.Builder segment = SegmentEmbedding.newBuilder().setTime(times.get(i));
      for (float value : keyframes.get(i).values()) {
        segment.addVector(value);
      }
      event.addSegments(segment);
    }
    return event.build();
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
