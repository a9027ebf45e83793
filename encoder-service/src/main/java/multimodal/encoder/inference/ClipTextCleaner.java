package multimodal.encoder.inference;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The text cleaning OpenAI's CLIP tokenizer ({@code simple_tokenizer.py}) applies before BPE, so
 * that ids match the model's own reference: {@code basic_clean} (ftfy, then {@code html.unescape}
 * twice, strip), {@code whitespace_clean} ({@code \s+} → one space, strip), then {@code lower()}.
 *
 * <p>ftfy is not ported: its NFC step is kept (first, as ftfy does it); its mojibake, quote, width
 * and ligature fixes and its own extra HTML unescape of texts without a {@code <} are not.
 * Lower-casing is Java's context-aware one, which, like Python's {@code str.lower()} and unlike the
 * tokenizer.json normaliser, turns a word-final capital sigma into {@code ς}. The tokenizer.json
 * normaliser still runs afterwards (NFC, whitespace, lower-case): it changes nothing here except
 * re-composing combining marks that an entity produced (Python would leave those decomposed).
 */
final class ClipTextCleaner {
  private static final Pattern WHITESPACE =
      Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  private ClipTextCleaner() {}

  static String clean(String text) {
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    String unescaped = HtmlUnescaper.unescape(HtmlUnescaper.unescape(nfc));
    String collapsed = WHITESPACE.matcher(unescaped).replaceAll(" ").strip();
    return collapsed.toLowerCase(Locale.ROOT);
  }
}
