package multimodal.generator.inference.speech;

import static org.assertj.core.api.Assertions.assertThat;

import multimodal.devkit.speech.WordErrorRate;
import org.junit.jupiter.api.Test;

class PocketSphinxOutputTest {
  /** Printed by pocketsphinx_continuous -time yes for two sentences (fillers added). */
  private static final String OUTPUT =
      """
      the quick brown fox
      <s> 0.000 0.130 0.999800
      the 0.140 0.250 0.838014
      quick 0.260 0.520 0.153306
      <sil> 0.530 0.600 1.000000
      brown 0.610 0.920 0.993123
      fox 0.930 1.430 0.999900
      </s> 1.440 1.600 1.000000
      please call tomorrow
      <s> 4.730 4.800 1.000000
      please 4.810 5.100 1.000000
      [NOISE] 5.100 5.110 1.000000
      call 5.110 5.410 0.810402
      tomorrow(2) 5.900 6.320 0.572545
      </s> 6.870 7.000 1.000000
      <s> 7.100 7.200 1.000000
      </s> 7.200 7.300 1.000000
      """;

  @Test
  void utterancesBecomeSegmentsOfTheirWordsWithoutFillers() {
    Transcript transcript = PocketSphinxOutput.parse(OUTPUT, 7_300);

    assertThat(transcript.segments()).hasSize(2);
    Transcript.Segment first = transcript.segments().get(0);
    assertThat(first.text()).isEqualTo("the quick brown fox");
    assertThat(first.startMs()).isEqualTo(140);
    assertThat(first.endMs()).isEqualTo(1430);
    assertThat(first.words().get(1)).isEqualTo(new Transcript.Word("quick", 260, 520, 0.153306f));
    Transcript.Segment second = transcript.segments().get(1);
    assertThat(second.text()).isEqualTo("please call tomorrow");
    assertThat(second.startMs()).isEqualTo(4810);
    assertThat(second.endMs()).isEqualTo(6320);
    assertThat(transcript.text()).isEqualTo("the quick brown fox please call tomorrow");
  }

  @Test
  void wordTimesAreClampedIntoTheAudio() {
    Transcript transcript =
        PocketSphinxOutput.parse(
            "hello\n<s> 0.0 0.1 1.0\nhello 0.950 1.030 0.9\n</s> 1.0 1.1 1\n", 1_000);

    assertThat(transcript.words()).containsExactly(new Transcript.Word("hello", 950, 1000, 0.9f));
  }

  @Test
  void silenceGivesNoSegments() {
    assertThat(PocketSphinxOutput.parse("", 5_000).segments()).isEmpty();
    assertThat(PocketSphinxOutput.parse("\n<s> 0.0 0.5 1.0\n</s> 0.5 1.0 1.0\n", 5_000).segments())
        .isEmpty();
  }

  @Test
  void wordErrorRateCountsEdits() {
    assertThat(WordErrorRate.errors("the quick brown fox", "the quick brown fox")).isZero();
    assertThat(WordErrorRate.errors("the quick brown fox", "a quick fox")).isEqualTo(2);
    assertThat(WordErrorRate.errors("Hello, world.", "hello world again")).isEqualTo(1);
    assertThat(WordErrorRate.wordCount("The quick, brown fox.")).isEqualTo(4);
  }
}
