package multimodal.encoder.inference;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.text.translate.AggregateTranslator;
import org.apache.commons.text.translate.CharSequenceTranslator;
import org.apache.commons.text.translate.EntityArrays;
import org.apache.commons.text.translate.LookupTranslator;

/**
 * Python's {@code html.unescape} as far as a library table allows: the named entities of HTML 4
 * (commons-text's {@link EntityArrays}) plus {@code &apos;}, the legacy names that HTML5 also
 * accepts without a semicolon ({@code &amp}, {@code &lt}, {@code &eacute}, … and the upper-case
 * {@code &AMP} family), and numeric references with or without a semicolon mapped exactly as Python
 * maps them. Difference: the ~2,000 entity names that only HTML5 defines (e.g. {@code &NewLine;},
 * {@code &check;}) are left as they are; Python replaces them.
 */
final class HtmlUnescaper {
  private static final CharSequenceTranslator TRANSLATOR =
      new AggregateTranslator(new LookupTranslator(namedEntities()), new NumericReferences());

  private HtmlUnescaper() {}

  static String unescape(String text) {
    return text.indexOf('&') < 0 ? text : TRANSLATOR.translate(text);
  }

  private static Map<CharSequence, CharSequence> namedEntities() {
    Map<CharSequence, CharSequence> names = new HashMap<>();
    names.putAll(EntityArrays.HTML40_EXTENDED_UNESCAPE);
    names.putAll(EntityArrays.APOS_UNESCAPE);
    for (Map<CharSequence, CharSequence> legacy :
        List.of(EntityArrays.BASIC_UNESCAPE, EntityArrays.ISO8859_1_UNESCAPE, upperCaseLegacy())) {
      legacy.forEach(
          (name, value) -> {
            names.put(name, value);
            names.put(name.subSequence(0, name.length() - 1), value); // the same name without ';'
          });
    }
    return names;
  }

  /** HTML5 keeps these upper-case spellings of legacy entities (with and without ';'). */
  private static Map<CharSequence, CharSequence> upperCaseLegacy() {
    return Map.of(
        "&AMP;", "&", "&LT;", "<", "&GT;", ">", "&QUOT;", "\"", "&COPY;", "\u00a9", "&REG;",
        "\u00ae");
  }

  /**
   * {@code &#N;} / {@code &#xH;}, semicolon optional, mapped like Python's {@code
   * html._replace_charref}: hand-written because commons-text's NumericEntityUnescaper throws on
   * code points above U+10FFFF and knows neither the Windows-1252 remapping of 0x80–0x9F nor the
   * code points HTML drops.
   */
  static final class NumericReferences extends CharSequenceTranslator {
    /** Python's {@code _invalid_charrefs}: NUL, CR and the C1 range read as Windows-1252. */
    private static final String C1_AS_CP1252 =
        "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f"
            + "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

    private static final BigInteger MAX_CODE_POINT = BigInteger.valueOf(Character.MAX_CODE_POINT);

    @Override
    public int translate(CharSequence input, int index, Writer out) throws IOException {
      int length = input.length();
      if (input.charAt(index) != '&' || index + 2 >= length || input.charAt(index + 1) != '#') {
        return 0;
      }
      int start = index + 2;
      boolean hex = input.charAt(start) == 'x' || input.charAt(start) == 'X';
      int radix = hex ? 16 : 10;
      int digits = hex ? start + 1 : start;
      int end = digits;
      while (end < length
          && Character.digit(input.charAt(end), radix) >= 0
          && isAsciiDigit(input.charAt(end), hex)) {
        end++;
      }
      if (end == digits) {
        return 0;
      }
      BigInteger number = new BigInteger(input.subSequence(digits, end).toString(), radix);
      boolean semicolon = end < length && input.charAt(end) == ';';
      out.write(replacement(number));
      return end - index + (semicolon ? 1 : 0);
    }

    private static boolean isAsciiDigit(char c, boolean hex) {
      return (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
    }

    static String replacement(BigInteger number) {
      if (number.compareTo(MAX_CODE_POINT) > 0) {
        return "\ufffd";
      }
      int cp = number.intValue();
      if (cp == 0) {
        return "\ufffd";
      }
      if (cp == 0x0d) {
        return "\r";
      }
      if (cp >= 0x80 && cp <= 0x9f) {
        return String.valueOf(C1_AS_CP1252.charAt(cp - 0x80));
      }
      if (cp >= 0xd800 && cp <= 0xdfff) {
        return "\ufffd";
      }
      if (dropped(cp)) {
        return "";
      }
      return Character.toString(cp);
    }

    /** Python's {@code _invalid_codepoints} (controls and non-characters) become nothing. */
    private static boolean dropped(int cp) {
      return (cp >= 0x1 && cp <= 0x8)
          || cp == 0xb
          || (cp >= 0xe && cp <= 0x1f)
          || (cp >= 0x7f && cp <= 0x9f)
          || (cp >= 0xfdd0 && cp <= 0xfdef)
          || (cp & 0xfffe) == 0xfffe;
    }
  }
}
