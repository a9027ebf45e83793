package multimodal.encoder.inference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Expected strings are Python's {@code html.unescape(html.unescape(t))}, whitespace-collapsed,
 * lower-cased.
 */
class ClipTextCleanerTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "&amp; &lt;html&gt; entities | & <html> entities",
        "&amp;amp; | &",
        "&amp;amp;amp; | &amp;",
        "\"  many   spaces\t\n\" | many spaces",
        "fish &amp chips &ampersand | fish & chips &ersand",
        "caf&eacute; &COPY 2024 | café © 2024",
        "it&apos;s &#39;ok&#39; | it's 'ok'",
        "&#150;&#x80; | \u2013\u20ac",
        "&notanentity; &#xZZ; &#; | ¬anentity; &#xzz; &#;",
        "&#0;&#x110000;&#xD800;x&#1;&#x7f;&#xFFFE; | \ufffd\ufffd\ufffdx",
        "&#x1F355 pizza | \uD83C\uDF55 pizza",
        "ΟΔΟΣ | οδος",
      })
  void cleansLikeOpenAisBasicAndWhitespaceClean(String text, String expected) {
    assertThat(ClipTextCleaner.clean(text)).isEqualTo(expected);
  }
}
