package multimodal.retrieval;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import multimodal.v1.CaptionSegment;
import multimodal.v1.MediaCaptionEvent;
import multimodal.v1.TimedText;

/**
 * What each keyframe of a video shows (media.caption.v1 {@code segments}), as the index keeps it:
 * the keyframes' time ranges with their caption and OCR text, and the video's length. The item's
 * caption and OCR text (the event's summary) are what BM25 indexes; these point a hit into the
 * video ({@link #timedTexts()}).
 */
public record KeyframeCaptions(List<CaptionSegment> segments, long durationMs) {
  public KeyframeCaptions {
    segments = List.copyOf(Objects.requireNonNull(segments, "segments"));
  }

  /** Null for an event without segments (an image). */
  public static KeyframeCaptions fromEvent(MediaCaptionEvent event) {
    return event.getSegmentsCount() == 0
        ? null
        : new KeyframeCaptions(event.getSegmentsList(), event.getDurationMs());
  }

  /**
   * Each keyframe as a piece of the timeline for {@code TimedTextMatches}: its time range and its
   * caption and OCR text, one per line (an empty one left out).
   */
  public List<TimedText> timedTexts() {
    return segments.stream()
        .map(
            s ->
                TimedText.newBuilder()
                    .setTime(s.getTime())
                    .setText(
                        Stream.of(s.getCaption(), s.getOcrText())
                            .filter(text -> !text.isEmpty())
                            .collect(Collectors.joining("\n")))
                    .build())
        .toList();
  }

  /** Stored form: the event's message with the segments and the length only. */
  public byte[] toBytes() {
    return MediaCaptionEvent.newBuilder()
        .addAllSegments(segments)
        .setDurationMs(durationMs)
        .build()
        .toByteArray();
  }

  public static KeyframeCaptions parse(byte[] stored) {
    try {
      MediaCaptionEvent event = MediaCaptionEvent.parseFrom(stored);
      return new KeyframeCaptions(event.getSegmentsList(), event.getDurationMs());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored keyframe captions are not readable", e);
    }
  }
}
