package multimodal.generator.inference.generation;

import java.util.Arrays;
import java.util.List;

/**
 * The logits processors applied before choosing a token, with Hugging Face semantics: repetition
 * penalty ({@code RepetitionPenaltyLogitsProcessor}) and no-repeat n-grams ({@code
 * NoRepeatNGramLogitsProcessor}). Written here because they are a few lines each and no Java
 * library offers them over plain float arrays.
 */
public final class LogitsRules {
  private LogitsRules() {}

  /**
   * Applies the configured rules in place.
   *
   * @param logits one row of scores over the vocabulary
   * @param sequence the decoder's tokens so far (start/prompt tokens and generated ones)
   */
  public static void apply(float[] logits, List<Long> sequence, DecodingOptions options) {
    if (options.repetitionPenalty() != 1.0f) {
      repetitionPenalty(logits, sequence, options.repetitionPenalty());
    }
    if (options.noRepeatNgramSize() > 0) {
      banRepeatedNgrams(logits, sequence, options.noRepeatNgramSize());
    }
  }

  /** Each distinct token seen once: positive scores divided by the penalty, negative multiplied. */
  static void repetitionPenalty(float[] logits, List<Long> sequence, float penalty) {
    boolean[] seen = new boolean[logits.length];
    for (long token : sequence) {
      int id = (int) token;
      if (id >= 0 && id < logits.length && !seen[id]) {
        seen[id] = true;
        logits[id] = logits[id] < 0 ? logits[id] * penalty : logits[id] / penalty;
      }
    }
  }

  /** Sets to -inf every token that would complete an n-gram that already occurs in the sequence. */
  static void banRepeatedNgrams(float[] logits, List<Long> sequence, int n) {
    int length = sequence.size();
    if (length + 1 < n) {
      return;
    }
    Long[] tokens = sequence.toArray(new Long[0]);
    Long[] prefix = Arrays.copyOfRange(tokens, length - n + 1, length);
    for (int start = 0; start + n <= length; start++) {
      if (Arrays.equals(Arrays.copyOfRange(tokens, start, start + n - 1), prefix)) {
        int banned = (int) (long) tokens[start + n - 1];
        if (banned >= 0 && banned < logits.length) {
          logits[banned] = Float.NEGATIVE_INFINITY;
        }
      }
    }
  }

  public static int argmax(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }

  /** log(softmax(row)) in place; stable for -inf entries. */
  public static void logSoftmax(float[] row) {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : row) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : row) {
      sum += Math.exp(v - max);
    }
    float log = (float) (max + Math.log(sum));
    for (int i = 0; i < row.length; i++) {
      row[i] -= log;
    }
  }
}
