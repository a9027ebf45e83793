package multimodal.retrieval.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.Transcript;
import multimodal.retrieval.search.TimedTextMatches;
import multimodal.v1.MediaTranscriptEvent;
import multimodal.v1.ModelRef;
import multimodal.v1.TimeRange;
import multimodal.v1.Topics;
import multimodal.v1.TranscriptSegment;
import multimodal.v1.TranscriptWord;
import org.junit.jupiter.api.Test;

/** media.transcript.v1 records decoded into Transcribed changes, or rejected with a reason. */
class TranscriptRecordDecoderTest {
  final RecordDecoder decoder = new RecordDecoder("default");

  @Test
  void decodesSegmentsWithTheirTimesAndTheRecognizerDroppingWordTimes() {
    MediaTranscriptEvent event =
        MediaTranscriptEvent.newBuilder()
            .setMediaId("talk-1")
            .setRecognizer(ModelRef.newBuilder().setName("pocketsphinx-en-us").setVersion("v"))
            .setDurationMs(9_000)
            .addSegments(segment(100, 2_000, "hello there"))
            .addSegments(segment(3_000, 4_500, "good morning"))
            .build();

    IndexChange change =
        decoder.decode(Topics.MEDIA_TRANSCRIPT, "talk-1", event.toByteArray(), Map.of());

    assertThat(change).isInstanceOf(IndexChange.Transcribed.class);
    IndexChange.Transcribed transcribed = (IndexChange.Transcribed) change;
    assertThat(transcribed.tenant()).isEqualTo("default");
    Transcript transcript = transcribed.transcript();
    assertThat(transcript.text()).isEqualTo("hello there\ngood morning");
    assertThat(transcript.segments().get(1).getTime().getStartMs()).isEqualTo(3_000);
    assertThat(transcript.recognizer().getName()).isEqualTo("pocketsphinx-en-us");
    assertThat(transcript.durationMs()).isEqualTo(9_000);
    // Stored and read back unchanged.
    assertThat(Transcript.parse(transcript.toBytes())).isEqualTo(transcript);
    assertThat(new TimedTextMatches().matching(transcript.segments(), "Good MORNING!"))
        .extracting(s -> s.getTime().getEndMs())
        .containsExactly(4_500L);
  }

  @Test
  void refusesASegmentThatEndsBeforeItStarts() {
    MediaTranscriptEvent event =
        MediaTranscriptEvent.newBuilder()
            .setMediaId("talk-2")
            .addSegments(segment(5_000, 4_000, "backwards"))
            .build();

    assertThatThrownBy(
            () -> decoder.decode(Topics.MEDIA_TRANSCRIPT, "talk-2", event.toByteArray(), Map.of()))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("segment time range 5000..4000 ms is not a range");
  }

  @Test
  void refusesAValueThatIsNotATranscriptEvent() {
    assertThatThrownBy(
            () -> decoder.decode(Topics.MEDIA_TRANSCRIPT, "x", new byte[] {(byte) 0xff}, Map.of()))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith("not a MediaTranscriptEvent");
  }

  private static TranscriptSegment segment(long start, long end, String text) {
    TimeRange time = TimeRange.newBuilder().setStartMs(start).setEndMs(end).build();
    return TranscriptSegment.newBuilder()
        .setTime(time)
        .setText(text)
        .addWords(TranscriptWord.newBuilder().setText(text.split(" ")[0]).setTime(time))
        .build();
  }
}
