package multimodal.generator.inference.speech;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a recogniser heard: utterances in order of time, each with its words when the recogniser
 * gives word times. Times are milliseconds from the start of the audio.
 */
public record Transcript(List<Segment> segments) {
  public Transcript {
    segments = List.copyOf(segments);
  }

  /** The whole text, utterances joined by a space. */
  public String text() {
    return segments.stream().map(Segment::text).collect(Collectors.joining(" "));
  }

  /** All words of all segments, in order. */
  public List<Word> words() {
    return segments.stream().flatMap(segment -> segment.words().stream()).toList();
  }

  /** One utterance: its span and text; {@code words} is empty when the recogniser gives none. */
  public record Segment(long startMs, long endMs, String text, List<Word> words) {
    public Segment {
      if (startMs < 0 || endMs < startMs) {
        throw new IllegalArgumentException("bad segment time " + startMs + ".." + endMs);
      }
      words = List.copyOf(words);
    }
  }

  /**
   * One recognised word.
   *
   * @param confidence posterior probability in [0, 1]; 0 when the recogniser gives none
   */
  public record Word(String text, long startMs, long endMs, float confidence) {
    public Word {
      if (startMs < 0 || endMs < startMs) {
        throw new IllegalArgumentException("bad word time " + startMs + ".." + endMs);
      }
    }
  }
}
