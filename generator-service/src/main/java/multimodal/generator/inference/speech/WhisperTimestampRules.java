package multimodal.generator.inference.speech;

import java.util.Arrays;
import java.util.List;

/**
 * Whisper's rules for timestamp decoding, applied to the logits before each greedy pick (as the
 * reference decoder and Hugging Face's {@code WhisperTimeStampLogitsProcessor} do): no {@code
 * <|notimestamps|>} and no other special token but the end; the first token is a timestamp of at
 * most 1 s; timestamps come in pairs (after a text token's closing timestamp another timestamp or
 * the end follows, after a pair text follows) and never go back; and when the timestamps together
 * are more likely than any single text token, a timestamp is taken.
 */
final class WhisperTimestampRules {
  private static final int MAX_INITIAL_TIMESTAMP_STEPS = 50; // 1.0 s

  private final WhisperTokens tokens;

  WhisperTimestampRules(WhisperTokens tokens) {
    this.tokens = tokens;
  }

  /**
   * @param logits the scores of the next token, changed in place
   * @param generated the tokens generated so far in this window (without the prompt)
   */
  void apply(float[] logits, List<Long> generated) {
    int begin = (int) tokens.timestampBegin();
    int end = (int) tokens.endOfText();
    // Specials between the end token and the timestamps (start of transcript, languages, tasks,
    // no-timestamps) are never generated.
    Arrays.fill(logits, end + 1, begin, Float.NEGATIVE_INFINITY);
    int n = generated.size();
    boolean lastWasTimestamp = n >= 1 && tokens.isTimestamp(generated.get(n - 1));
    boolean penultimateWasTimestamp = n < 2 || tokens.isTimestamp(generated.get(n - 2));
    if (lastWasTimestamp) {
      if (penultimateWasTimestamp) {
        Arrays.fill(logits, begin, logits.length, Float.NEGATIVE_INFINITY); // text next
      } else {
        Arrays.fill(logits, 0, end, Float.NEGATIVE_INFINITY); // a timestamp or the end next
      }
    }
    long lastTimestamp = -1;
    for (int i = n - 1; i >= 0; i--) {
      if (tokens.isTimestamp(generated.get(i))) {
        lastTimestamp = generated.get(i);
        break;
      }
    }
    if (lastTimestamp >= 0) {
      // A closing timestamp may repeat the opening one (an empty segment); otherwise time moves on.
      long floor = lastWasTimestamp && !penultimateWasTimestamp ? lastTimestamp : lastTimestamp + 1;
      Arrays.fill(logits, begin, (int) Math.min(floor, logits.length), Float.NEGATIVE_INFINITY);
    }
    if (n == 0) {
      Arrays.fill(logits, 0, begin, Float.NEGATIVE_INFINITY);
      int lastAllowed = begin + MAX_INITIAL_TIMESTAMP_STEPS;
      if (lastAllowed + 1 < logits.length) {
        Arrays.fill(logits, lastAllowed + 1, logits.length, Float.NEGATIVE_INFINITY);
      }
    }
    if (timestampsMoreLikely(logits, begin)) {
      Arrays.fill(logits, 0, begin, Float.NEGATIVE_INFINITY);
    }
  }

  /** log Σ p(timestamp) > max log p(text token), in log-softmax space. */
  private static boolean timestampsMoreLikely(float[] logits, int begin) {
    double max = Double.NEGATIVE_INFINITY;
    for (float value : logits) {
      max = Math.max(max, value);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return false;
    }
    double timestampSum = 0;
    for (int i = begin; i < logits.length; i++) {
      timestampSum += Math.exp(logits[i] - max);
    }
    double maxText = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < begin; i++) {
      maxText = Math.max(maxText, logits[i] - max);
    }
    return timestampSum > 0 && Math.log(timestampSum) > maxText;
  }
}
