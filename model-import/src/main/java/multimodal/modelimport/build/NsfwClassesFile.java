package multimodal.modelimport.build;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads nsfwjs's nsfw_classes.js ({@code 0: 'Drawing', ...}) into labels ordered by class index.
 */
final class NsfwClassesFile {

  private static final Pattern ENTRY = Pattern.compile("(\\d+)\\s*:\\s*['\"]([^'\"]+)['\"]");

  private NsfwClassesFile() {}

  static List<String> labels(String source) {
    TreeMap<Integer, String> byIndex = new TreeMap<>();
    Matcher m = ENTRY.matcher(source);
    while (m.find()) byIndex.put(Integer.parseInt(m.group(1)), m.group(2));
    if (byIndex.isEmpty() || byIndex.lastKey() != byIndex.size() - 1) {
      throw new IllegalArgumentException(
          "nsfw_classes.js does not list classes 0..n-1: " + byIndex);
    }
    return new ArrayList<>(byIndex.values());
  }
}
