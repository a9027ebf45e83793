package multimodal.modelimport.tfjs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the value a bundled UMD ".min.js" module exports, as nsfwjs ships its models: the model
 * file exports a JavaScript object literal (unquoted keys, !0/!1 booleans, ".5" numbers) and each
 * weight shard a base64 string. Hand-written because only this narrow literal subset is needed and
 * running Node at build time is not allowed.
 */
public final class MinJsModule {

  // The module body assigns its value with "<var>.exports=" followed by the literal; the UMD
  // header's
  // "module.exports=t()" is followed by a call, not a literal, so it does not match.
  private static final Pattern EXPORT = Pattern.compile("\\.exports\\s*=\\s*([\"'{])");

  private MinJsModule() {}

  /** The exported string literal (a shard's base64 text). */
  public static String exportedString(String source) {
    Matcher m = findExport(source);
    int start = m.start(1);
    if (source.charAt(start) == '{')
      throw new IllegalArgumentException("module exports an object, not a string");
    StringBuilder out = new StringBuilder();
    readString(source, start, out);
    return out.substring(1, out.length() - 1);
  }

  /** The exported object literal, rewritten as strict JSON text. */
  public static String exportedObjectAsJson(String source) {
    Matcher m = findExport(source);
    int i = m.start(1);
    if (source.charAt(i) != '{')
      throw new IllegalArgumentException("module exports a string, not an object");
    StringBuilder json = new StringBuilder(source.length());
    int depth = 0;
    do {
      char c = source.charAt(i);
      if (c == '"' || c == '\'') {
        i = readString(source, i, json);
        continue;
      }
      if (c == '{' || c == '[') depth++;
      if (c == '}' || c == ']') depth--;
      boolean inNumber = !json.isEmpty() && Character.isDigit(json.charAt(json.length() - 1));
      if (Character.isJavaIdentifierStart(c) && !inNumber) {
        int end = i;
        while (end < source.length() && Character.isJavaIdentifierPart(source.charAt(end))) end++;
        String word = source.substring(i, end);
        boolean isKey = nextNonSpace(source, end) == ':';
        if (isKey) json.append('"').append(word).append('"');
        else if (word.equals("true") || word.equals("false") || word.equals("null"))
          json.append(word);
        else
          throw new IllegalArgumentException(
              "unexpected JavaScript identifier '" + word + "' in module literal");
        i = end;
        continue;
      }
      if (c == '!'
          && i + 1 < source.length()
          && (source.charAt(i + 1) == '0' || source.charAt(i + 1) == '1')) {
        json.append(source.charAt(i + 1) == '0' ? "true" : "false");
        i += 2;
        continue;
      }
      if (c == '.' && !json.isEmpty() && !Character.isDigit(json.charAt(json.length() - 1)))
        json.append('0');
      json.append(c);
      i++;
    } while (depth > 0 && i < source.length());
    if (depth != 0) throw new IllegalArgumentException("unterminated object literal in module");
    return json.toString();
  }

  private static Matcher findExport(String source) {
    Matcher m = EXPORT.matcher(source);
    if (!m.find()) throw new IllegalArgumentException("no exported literal found in module");
    return m;
  }

  /**
   * Copies the string literal starting at quote index {@code i} as a JSON string; returns the index
   * after it.
   */
  private static int readString(String s, int i, StringBuilder out) {
    char quote = s.charAt(i++);
    out.append('"');
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == '\\') {
        char next = s.charAt(i++);
        if (next == '\'') out.append('\'');
        else out.append('\\').append(next);
      } else if (c == quote) {
        out.append('"');
        return i;
      } else if (c == '"') {
        out.append("\\\"");
      } else {
        out.append(c);
      }
    }
    throw new IllegalArgumentException("unterminated string literal in module");
  }

  private static char nextNonSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    return i < s.length() ? s.charAt(i) : 0;
  }
}
