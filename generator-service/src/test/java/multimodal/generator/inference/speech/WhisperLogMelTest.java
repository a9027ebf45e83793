package multimodal.generator.inference.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whisper's log-mel front end against a reference: the expected numbers were printed by {@code
 * src/test/resources/whisper/log_mel_reference.py} (numpy, float64, Whisper's recipe step by step:
 * run it with /usr/bin/python3) for the same signal, 1 s of 440 Hz at 0.5 plus 1000 Hz at 0.25,
 * then silence.
 */
class WhisperLogMelTest {
  private static float[] features;

  @BeforeAll
  static void compute() {
    float[] signal = new float[WhisperLogMel.SAMPLE_RATE];
    for (int n = 0; n < signal.length; n++) {
      signal[n] =
          (float)
              (0.5 * Math.sin(2 * Math.PI * 440 * n / 16000.0)
                  + 0.25 * Math.sin(2 * Math.PI * 1000 * n / 16000.0));
    }
    features = new WhisperLogMel(80).compute(signal);
  }

  @ParameterizedTest(name = "mel {0}, frame {1}")
  @CsvSource({
    "0, 0, 1.025520",
    "9, 50, 1.159391",
    "10, 50, 1.348738",
    "11, 50, 1.438204",
    "12, 50, 1.293523",
    "25, 50, 1.190610",
    "27, 20, 1.132754",
    "10, 100, 1.272093",
    "10, 101, 0.380036",
    "11, 0, 1.106209",
    "30, 50, -0.561796",
    "30, 2000, -0.561796"
  })
  void matchesTheReference(int mel, int frame, double expected) {
    assertThat(features).hasSize(80 * WhisperLogMel.FRAMES);
    assertThat((double) features[mel * WhisperLogMel.FRAMES + frame])
        .isCloseTo(expected, within(1e-4));
  }

  @ParameterizedTest(name = "filter[{0}][{1}]")
  @CsvSource({"10, 10, 0.019908219", "10, 11, 0.004954375", "60, 93, 0.006591093", "10, 12, 0"})
  void melFilterbankIsLibrosasSlaneyOne(int mel, int bin, double expected) {
    assertThat(WhisperLogMel.melFilters(80)[mel][bin]).isCloseTo(expected, within(1e-9));
  }
}
