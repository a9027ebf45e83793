package multimodal.retrieval;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.Objects;
import multimodal.v1.Embedding;
import multimodal.v1.MediaEmbeddingEvent;
import multimodal.v1.SegmentEmbedding;
import multimodal.v1.TimeRange;

/**
 * A video item's keyframes as the index keeps them (media.embedding.v1 {@code segments}): each
 * keyframe's time range and unit vector, in the model of the item's vector, and the video's length.
 */
public record VideoSegments(ModelVersion model, long durationMs, List<Segment> segments) {
  /** One keyframe: the stretch of the video it stands for and its unit vector. */
  public record Segment(TimeRange time, float[] vector) {}

  public VideoSegments {
    Objects.requireNonNull(model, "model");
    segments = List.copyOf(segments);
  }

  /** Stored form: the event's message with the model, the length and the segments only. */
  public byte[] toBytes() {
    return toEvent().toByteArray();
  }

  /** The event's message with the model, the length and the segments only. */
  public MediaEmbeddingEvent toEvent() {
    MediaEmbeddingEvent.Builder event =
        MediaEmbeddingEvent.newBuilder()
            .setDurationMs(durationMs)
            .setEmbedding(
                Embedding.newBuilder().setModelName(model.name()).setModelVersion(model.version()));
    for (Segment segment : segments) {
      SegmentEmbedding.Builder s = SegmentEmbedding.newBuilder().setTime(segment.time());
      for (float value : segment.vector()) {
        s.addVector(value);
      }
      event.addSegments(s);
    }
    return event.build();
  }

  public static VideoSegments parse(byte[] stored) {
    try {
      return of(MediaEmbeddingEvent.parseFrom(stored));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored keyframes are not readable", e);
    }
  }

  /** From {@link #toEvent}'s form (or a whole event): the model, the length and the segments. */
  public static VideoSegments of(MediaEmbeddingEvent event) {
    return new VideoSegments(
        new ModelVersion(
            event.getEmbedding().getModelName(), event.getEmbedding().getModelVersion()),
        event.getDurationMs(),
        event.getSegmentsList().stream()
            .map(s -> new Segment(s.getTime(), toArray(s.getVectorList())))
            .toList());
  }

  public static float[] toArray(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
