package multimodal.retrieval;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import multimodal.v1.MediaTranscriptEvent;
import multimodal.v1.ModelRef;
import multimodal.v1.TimedText;
import multimodal.v1.TranscriptSegment;

/**
 * What was said in an audio item (media.transcript.v1), as the index keeps it: the segments with
 * their time ranges and text (word times are not kept: hits point at segments), the recogniser and
 * the audio's length. The parts are the contract's own value messages, as in {@link Vision}.
 *
 * @param recognizer null when the event named none
 */
public record Transcript(List<TimedText> segments, ModelRef recognizer, long durationMs) {
  public Transcript {
    segments = List.copyOf(Objects.requireNonNull(segments, "segments"));
  }

  public static Transcript fromEvent(MediaTranscriptEvent event) {
    List<TimedText> segments =
        event.getSegmentsList().stream()
            .map(s -> TimedText.newBuilder().setTime(s.getTime()).setText(s.getText()).build())
            .toList();
    return new Transcript(
        segments, event.hasRecognizer() ? event.getRecognizer() : null, event.getDurationMs());
  }

  /** All segments' text, one per line: what BM25 and the sentence embedding see. */
  public String text() {
    return segments.stream().map(TimedText::getText).collect(Collectors.joining("\n"));
  }

  /** Stored form: the event's message with the segments' times and text only. */
  public byte[] toBytes() {
    MediaTranscriptEvent.Builder event =
        MediaTranscriptEvent.newBuilder().setDurationMs(durationMs);
    if (recognizer != null) {
      event.setRecognizer(recognizer);
    }
    for (TimedText segment : segments) {
      event.addSegments(
          TranscriptSegment.newBuilder().setTime(segment.getTime()).setText(segment.getText()));
    }
    return event.build().toByteArray();
  }

  public static Transcript parse(byte[] stored) {
    try {
      return fromEvent(MediaTranscriptEvent.parseFrom(stored));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored transcript is not readable", e);
    }
  }
}
