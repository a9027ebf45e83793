package multimodal.generator.inference.generation;

import java.util.List;
import java.util.function.Function;

/** One generated text with its cost. */
public record Generated(String text, int tokens, long preprocessMicros, long inferenceMicros) {
  /**
   * The text of one input's generated ids, with its equal share of a batch of {@code n}: the
   * preprocessing from {@code startNanos} to {@code preprocessedNanos}, the inference from there to
   * {@code doneNanos}.
   */
  public static Generated of(
      List<Long> sequence,
      Function<long[], String> text,
      long startNanos,
      long preprocessedNanos,
      long doneNanos,
      int n) {
    long[] ids = sequence.stream().mapToLong(Long::longValue).toArray();
    return new Generated(
        text.apply(ids),
        ids.length,
        (preprocessedNanos - startNanos) / 1_000 / n,
        (doneNanos - preprocessedNanos) / 1_000 / n);
  }
}
