package multimodal.generator.inference.generation;

import java.util.Set;

/**
 * How to decode: length, search, penalties and stop tokens.
 *
 * @param maxNewTokens most tokens generated per sequence (stop tokens not counted)
 * @param numBeams 1 = greedy, more = beam search
 * @param repetitionPenalty 1.0 = off; HF semantics (divide positive logits, multiply negative)
 * @param noRepeatNgramSize 0 = off; bans a token that would repeat an n-gram already generated
 * @param lengthPenalty beam score = sum of log-probs / length^lengthPenalty
 * @param stopTokens ids that end a sequence
 * @param useCache feed only the new token and the KV cache (true), or recompute the whole sequence
 *     every step (false; for the benchmark's comparison)
 */
public record DecodingOptions(
    int maxNewTokens,
    int numBeams,
    float repetitionPenalty,
    int noRepeatNgramSize,
    float lengthPenalty,
    Set<Long> stopTokens,
    boolean useCache) {

  public DecodingOptions {
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be at least 1");
    }
    if (numBeams < 1) {
      throw new IllegalArgumentException("numBeams must be at least 1");
    }
    if (!(repetitionPenalty > 0)) {
      throw new IllegalArgumentException("repetitionPenalty must be positive");
    }
    if (noRepeatNgramSize < 0) {
      throw new IllegalArgumentException("noRepeatNgramSize must not be negative");
    }
    stopTokens = Set.copyOf(stopTokens);
  }

  public static DecodingOptions greedy(int maxNewTokens, Set<Long> stopTokens) {
    return new DecodingOptions(maxNewTokens, 1, 1.0f, 0, 1.0f, stopTokens, true);
  }

  public DecodingOptions withStopTokens(Set<Long> stops) {
    return new DecodingOptions(
        maxNewTokens,
        numBeams,
        repetitionPenalty,
        noRepeatNgramSize,
        lengthPenalty,
        stops,
        useCache);
  }

  public DecodingOptions withCache(boolean cache) {
    return new DecodingOptions(
        maxNewTokens,
        numBeams,
        repetitionPenalty,
        noRepeatNgramSize,
        lengthPenalty,
        stopTokens,
        cache);
  }
}
