package multimodal.generator.speech;

import multimodal.generator.inference.speech.RecognizerInfo;
import multimodal.generator.inference.speech.Transcript;
import multimodal.v1.MediaTranscriptEvent;
import multimodal.v1.ModelRef;
import multimodal.v1.TimeRange;
import multimodal.v1.TranscriptSegment;
import multimodal.v1.TranscriptWord;

/** A {@link Transcript} as the media.transcript.v1 contract writes it. */
public final class SpeechProtos {
  private SpeechProtos() {}

  /** The transcript part of the event; the caller adds ids, tenant, timings. */
  public static MediaTranscriptEvent.Builder event(
      Transcript transcript, RecognizerInfo recognizer, long durationMs) {
    MediaTranscriptEvent.Builder event =
        MediaTranscriptEvent.newBuilder()
            .setRecognizer(
                ModelRef.newBuilder()
                    .setName(recognizer.name())
                    .setVersion(recognizer.version())
                    .setFixture(recognizer.fixture()))
            .setLanguage(recognizer.language())
            .setDurationMs(durationMs);
    for (Transcript.Segment segment : transcript.segments()) {
      TranscriptSegment.Builder out =
          TranscriptSegment.newBuilder()
              .setTime(range(segment.startMs(), segment.endMs()))
              .setText(segment.text());
      for (Transcript.Word word : segment.words()) {
        out.addWords(
            TranscriptWord.newBuilder()
                .setText(word.text())
                .setTime(range(word.startMs(), word.endMs()))
                .setConfidence(word.confidence()));
      }
      event.addSegments(out);
    }
    return event;
  }

  private static TimeRange range(long startMs, long endMs) {
    return TimeRange.newBuilder().setStartMs(startMs).setEndMs(endMs).build();
  }
}
