package multimodal.devkit.speech;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Word error rate: the word-level edit distance (substitutions, insertions, deletions) between a
 * reference and a hypothesis, over the reference's word count. Words are compared in lower case
 * without punctuation. A dozen lines of dynamic programming; no library is worth adding for it.
 */
public final class WordErrorRate {
  private WordErrorRate() {}

  /** Edit operations needed to turn the hypothesis into the reference. */
  public static int errors(String reference, String hypothesis) {
    List<String> ref = words(reference);
    List<String> hyp = words(hypothesis);
    int[] previous = new int[hyp.size() + 1];
    int[] current = new int[hyp.size() + 1];
    Arrays.setAll(previous, j -> j);
    for (int i = 1; i <= ref.size(); i++) {
      current[0] = i;
      for (int j = 1; j <= hyp.size(); j++) {
        int substitution = previous[j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[hyp.size()];
  }

  public static int wordCount(String text) {
    return words(text).size();
  }

  public static List<String> words(String text) {
    String cleaned = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]", " ").strip();
    return cleaned.isEmpty() ? List.of() : List.of(cleaned.split("\\s+"));
  }
}
