package multimodal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallerUrisTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:8080/internal/blobs/0000000000000000000000000000000000000000000000000000000000000000",
        "http://gateway:8080/internal/blobs/abc?tenant=acme&expires=1&sig=x",
        "https://anything.example/INTERNAL/Blobs/abc",
        "http://gateway/x/../internal/blobs/abc",
        "http://gateway/./internal/blobs/abc",
        "http://gateway//internal//blobs/abc",
        "http://gateway/internal/%62lobs/abc",
        "http://gateway/x/..%2Finternal/blobs/abc",
        "http://gateway/%69nternal/blobs/abc"
      })
  void refusesEveryFormOfTheInternalBlobRouteWithTheSameWords(String uri) {
    assertThatThrownBy(() -> CallerUris.check(uri))
        .isInstanceOfSatisfying(
            RequestRefused.class,
            e -> assertThat(e.reason()).isEqualTo(RequestRefused.Reason.INVALID_REQUEST))
        .hasMessage("'uri' must not point at the gateway's internal blob route (/internal/blobs/)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://example.com/a.png",
        "file:///etc/passwd",
        "/relative/a.png",
        "http:///nohost",
        "gopher://x/"
      })
  void refusesWhatIsNotAnAbsoluteHttpUrl(String uri) {
    assertThatThrownBy(() -> CallerUris.check(uri))
        .isInstanceOf(RequestRefused.class)
        .hasMessageContaining("http or https");
  }

  @Test
  void refusesNothingAndGarbage() {
    assertThatThrownBy(() -> CallerUris.check(" ")).hasMessage("'uri' is required");
    assertThatThrownBy(() -> CallerUris.check("http://exa mple.com/"))
        .hasMessageContaining("not a valid URI");
  }

  @Test
  void keepsAnOrdinaryUrlAsGiven() {
    assertThat(CallerUris.check(" https://images.example.com/cats/./1.jpg "))
        .isEqualTo("https://images.example.com/cats/./1.jpg");
    assertThat(CallerUris.check("https://example.com/internal/blobsy/1.jpg"))
        .isEqualTo("https://example.com/internal/blobsy/1.jpg");
  }
}
