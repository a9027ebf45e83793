package multimodal.generator.inference.speech;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what {@code pocketsphinx_continuous -time yes} prints: for each utterance its hypothesis
 * line, then one line per word, {@code word start end posterior} (seconds from the start of the
 * input), framed by {@code <s>} and {@code </s>}. Fillers ({@code <sil>}, {@code [NOISE]}, {@code
 * ++...++}) are dropped and alternate pronunciations ({@code tomorrow(2)}) are named by their word.
 * An utterance with no words left is dropped.
 */
final class PocketSphinxOutput {
  private static final Pattern WORD_LINE =
      Pattern.compile("(\\S+) (\\d+(?:\\.\\d+)?) (\\d+(?:\\.\\d+)?) (\\d+(?:\\.\\d+)?)");
  private static final Pattern ALTERNATE = Pattern.compile("\\(\\d+\\)$");

  private PocketSphinxOutput() {}

  /**
   * @param durationMs the audio's length: word times are clamped into it (PocketSphinx rounds to
   *     frames and may end a frame past the last sample)
   */
  static Transcript parse(String stdout, long durationMs) {
    List<Transcript.Segment> segments = new ArrayList<>();
    List<Transcript.Word> words = new ArrayList<>();
    for (String line : stdout.split("\n", -1)) {
      Matcher m = WORD_LINE.matcher(line.strip());
      if (!m.matches()) {
        // A hypothesis line (or blank): the words that follow are what counts.
        continue;
      }
      String token = m.group(1);
      if ("<s>".equals(token)) {
        close(words, segments);
        continue;
      }
      if ("</s>".equals(token)) {
        close(words, segments);
        continue;
      }
      if (filler(token)) {
        continue;
      }
      long start = Math.min(durationMs, millis(m.group(2)));
      long end = Math.max(start, Math.min(durationMs, millis(m.group(3))));
      float confidence = (float) Math.min(1.0, Double.parseDouble(m.group(4)));
      words.add(
          new Transcript.Word(ALTERNATE.matcher(token).replaceFirst(""), start, end, confidence));
    }
    close(words, segments);
    return new Transcript(segments);
  }

  private static void close(List<Transcript.Word> words, List<Transcript.Segment> segments) {
    if (words.isEmpty()) {
      return;
    }
    String text = String.join(" ", words.stream().map(Transcript.Word::text).toList());
    segments.add(
        new Transcript.Segment(
            words.get(0).startMs(), words.get(words.size() - 1).endMs(), text, words));
    words.clear();
  }

  private static boolean filler(String token) {
    return token.startsWith("<") || token.startsWith("[") || token.startsWith("++");
  }

  private static long millis(String seconds) {
    return Math.round(Double.parseDouble(seconds) * 1000);
  }
}
