package multimodal.generator.inference.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Whisper's timestamp rules on a small vocabulary: text 0-4, end 5, specials 6-8, times 9+. */
class WhisperTimestampRulesTest {
  private static final WhisperTokens TOKENS =
      new WhisperTokens(6, OptionalLong.empty(), OptionalLong.empty(), 8, 5, 9);
  private static final int VOCAB = 9 + 100; // 0.00 … 1.98 s
  private final WhisperTimestampRules rules = new WhisperTimestampRules(TOKENS);

  @Test
  void theFirstTokenIsATimestampOfAtMostOneSecond() {
    float[] logits = flat();
    logits[2] = 5; // a likely word
    logits[9 + 80] = 4; // 1.6 s

    rules.apply(logits, List.of());

    assertThat(allowed(logits)).allMatch(id -> id >= 9 && id <= 9 + 50);
  }

  @Test
  void afterTextAndItsClosingTimestampComesATimestampOrTheEnd() {
    float[] logits = flat();
    logits[5] = 8; // the end likely enough that timestamps are not forced
    rules.apply(logits, List.of(9L, 1L, 9L + 20));

    // The closing timestamp may repeat; earlier ones may not; no text.
    assertThat(allowed(logits)).contains(5, 9 + 20, 9 + 21).doesNotContain(1, 9 + 19);
  }

  @Test
  void afterAPairOfTimestampsComesText() {
    float[] logits = flat();
    rules.apply(logits, List.of(9L, 1L, 9L + 20, 9L + 25));

    assertThat(allowed(logits)).contains(0, 4, 5).allMatch(id -> id <= 5);
  }

  @Test
  void specialsAndNoTimestampsAreNeverGenerated() {
    float[] logits = flat();
    rules.apply(logits, List.of(9L, 1L));

    assertThat(allowed(logits)).doesNotContain(6, 7, 8);
  }

  @Test
  void timestampsMoreLikelyThanAnyWordForceATimestamp() {
    float[] logits = flat();
    logits[3] = 2; // the best word
    for (int id = 9 + 30; id < 9 + 40; id++) {
      logits[id] = 1; // ten timestamps, together more likely
    }

    rules.apply(logits, List.of(9L, 1L));

    assertThat(allowed(logits)).allMatch(id -> id >= 9);
  }

  private static float[] flat() {
    return new float[VOCAB];
  }

  private static List<Integer> allowed(float[] logits) {
    List<Integer> ids = new java.util.ArrayList<>();
    for (int i = 0; i < logits.length; i++) {
      if (logits[i] != Float.NEGATIVE_INFINITY) {
        ids.add(i);
      }
    }
    return ids;
  }
}
