package multimodal.generator.inference.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import multimodal.devkit.speech.SynthesisedSpeech;
import multimodal.devkit.speech.WordErrorRate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real PocketSphinx (Debian's US-English model) on speech Festival synthesised from sentences this
 * test chose, decoded by the production {@link AudioDecoder}: the word error rate over the
 * sentences is printed and at most 35 %, and the word and segment times are ordered and inside the
 * audio.
 */
class PocketSphinxRecognizerTest {
  static final List<String> SENTENCES =
      List.of(
          "The weather is sunny and warm today.",
          "My daughter plays the piano every evening.",
          "She bought fresh bread and cheese at the market.");

  @TempDir static Path dir;
  private static Pcm16k clip;

  private static final AudioDecoder DECODER =
      new AudioDecoder(
          new AudioLimits(Duration.ofMinutes(10), Duration.ofSeconds(60), "ffmpeg", "ffprobe"));
  private static final PocketSphinxRecognizer RECOGNIZER =
      new PocketSphinxRecognizer(
          new PocketSphinxRecognizer.Settings(
              "pocketsphinx_continuous",
              Path.of("/usr/share/pocketsphinx/model/en-us"),
              Duration.ofSeconds(120)),
          PocketSphinxRecognizer.debianVersion());

  @BeforeAll
  static void synthesise() throws IOException {
    Path wav = SynthesisedSpeech.sentences(SENTENCES, dir, "three");
    clip = DECODER.decode(Files.readAllBytes(wav), "audio/wav", "data.bytes");
  }

  @Test
  void transcribesTheSentencesWithinTheWordErrorRate() {
    Transcript transcript = RECOGNIZER.transcribe(clip);

    String reference = String.join(" ", SENTENCES);
    int errors = WordErrorRate.errors(reference, transcript.text());
    int words = WordErrorRate.wordCount(reference);
    double wer = (double) errors / words;
    System.out.printf(
        Locale.ROOT,
        "PocketSphinx WER %.1f %% (%d errors / %d words)%n  reference: %s%n  heard:     %s%n",
        100 * wer,
        errors,
        words,
        reference,
        transcript.text());
    assertThat(wer).isLessThanOrEqualTo(0.35);
  }

  @Test
  void eachSentenceIsASegmentAndTimesAreOrderedInsideTheAudio() {
    Transcript transcript = RECOGNIZER.transcribe(clip);

    // Festival speaks each sentence in about 2-3 s and the pauses are 1.5 s of silence.
    assertThat(transcript.segments()).hasSize(SENTENCES.size());
    long previousEnd = 0;
    for (Transcript.Segment segment : transcript.segments()) {
      assertThat(segment.startMs()).isGreaterThanOrEqualTo(previousEnd);
      assertThat(segment.endMs()).isGreaterThan(segment.startMs());
      assertThat(segment.words()).isNotEmpty();
      long wordEnd = segment.startMs();
      for (Transcript.Word word : segment.words()) {
        assertThat(word.startMs()).isGreaterThanOrEqualTo(wordEnd);
        assertThat(word.endMs()).isGreaterThanOrEqualTo(word.startMs());
        assertThat(word.confidence()).isBetween(0f, 1f);
        wordEnd = word.endMs();
      }
      assertThat(segment.endMs()).isEqualTo(wordEnd);
      previousEnd = segment.endMs();
    }
    assertThat(previousEnd).isLessThanOrEqualTo(clip.durationMillis());
    // The second sentence starts after the first pause.
    assertThat(transcript.segments().get(1).startMs())
        .isGreaterThan(transcript.segments().get(0).endMs() + 1000);
    assertThat(transcript.segments().get(1).text()).contains("piano");
  }

  @Test
  void silenceGivesAnEmptyTranscript() {
    Transcript transcript = RECOGNIZER.transcribe(new Pcm16k(new byte[16_000 * 2 * 2]));

    assertThat(transcript.segments()).isEmpty();
  }

  @Test
  void namesItselfWithThePackageVersion() {
    RecognizerInfo info = RECOGNIZER.info();

    assertThat(info.name()).isEqualTo("pocketsphinx-en-us");
    assertThat(info.version()).startsWith("0.8+5prealpha");
    assertThat(info.language()).isEqualTo("en-US");
    assertThat(info.fixture()).isFalse();
  }
}
