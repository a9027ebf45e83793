package multimodal.media.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Claim-check reads: a URL under the gateway's blob prefix may be on a private origin and is
 * fetched as given (the gateway signed it); the fetcher sends no credential to it or anywhere else.
 */
class InternalBlobFetchTest {
  /** Stands in for the gateway's signature: only URLs carrying it read a blob. */
  private static final String SIGNED = "?tenant=acme&expires=1&sig=good";

  private static final byte[] BLOB = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

  /** One request as the server saw it: path and the Authorization header (null when absent). */
  record Seen(String path, String authorization) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private String base;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  /**
   * A tiny gateway: blobs need the signature (else 404); /redirect?to=X answers 302 to X; /public/
   * is open.
   */
  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    seen.add(new Seen(path, authorization));
    try {
      if (path.startsWith("/redirect")) {
        String to = exchange.getRequestURI().getQuery().substring("to=".length());
        exchange.getResponseHeaders().add("Location", to);
        exchange.sendResponseHeaders(302, -1);
      } else if (path.startsWith("/internal/blobs/")) {
        if (!SIGNED.substring(1).equals(exchange.getRequestURI().getRawQuery())) {
          exchange.sendResponseHeaders(404, -1);
        } else if (path.endsWith("/moved")) {
          exchange.getResponseHeaders().add("Location", "/public/moved.png");
          exchange.sendResponseHeaders(302, -1);
        } else {
          send(exchange, BLOB);
        }
      } else if (path.startsWith("/public/")) {
        send(exchange, new byte[] {9, 9});
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    } finally {
      exchange.close();
    }
  }

  private static void send(HttpExchange exchange, byte[] body) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "image/png");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private MediaFetcher fetcher(boolean allowPrivate, String prefix) {
    return new MediaFetcher(
        new FetchPolicy(
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            1024,
            allowPrivate,
            Optional.empty(),
            3,
            Optional.ofNullable(prefix),
            "test.fetch"));
  }

  private String prefix() {
    return base + "/internal/blobs/";
  }

  @Test
  void fetchesASignedBlobUrlAsGivenWithoutCredentialAndAllowsItsPrivateOrigin() {
    MediaFetcher.FetchedMedia media =
        fetcher(false, prefix()).fetch(prefix() + "ab12" + SIGNED, "data.uri");

    assertThat(media.bytes()).containsExactly(BLOB);
    assertThat(media.contentType()).isEqualTo("image/png");
    assertThat(seen).containsExactly(new Seen("/internal/blobs/ab12", null));
  }

  @Test
  void anUnsignedBlobUrlReadsNothing() {
    assertThatThrownBy(() -> fetcher(false, prefix()).fetch(prefix() + "ab12", "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("HTTP 404");
    assertThat(seen).containsExactly(new Seen("/internal/blobs/ab12", null));
  }

  @Test
  void acceptsAPrefixWithoutTrailingSlash() {
    assertThat(
            fetcher(false, base + "/internal/blobs")
                .fetch(prefix() + "ab12" + SIGNED, "data.uri")
                .bytes())
        .containsExactly(BLOB);
  }

  @Test
  void stillRefusesOtherPathsOfThatPrivateOrigin() {
    assertThatThrownBy(() -> fetcher(false, prefix()).fetch(base + "/public/a.png", "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("non-public address");
    assertThat(seen).isEmpty();
  }

  @Test
  void sendsNoCredentialOutsideThePrefixEither() {
    byte[] bytes = fetcher(true, prefix()).fetch(base + "/public/a.png", "data.uri").bytes();

    assertThat(bytes).containsExactly(9, 9);
    assertThat(seen).containsExactly(new Seen("/public/a.png", null));
  }

  @Test
  void followsABlobRedirectAwayFromThePrefixAsAnOrdinaryUrl() {
    byte[] bytes = fetcher(true, prefix()).fetch(prefix() + "moved" + SIGNED, "data.uri").bytes();

    assertThat(bytes).containsExactly(9, 9);
    assertThat(seen)
        .containsExactly(
            new Seen("/internal/blobs/moved", null), new Seen("/public/moved.png", null));
  }

  @Test
  void aRedirectAwayFromThePrefixGetsTheSsrfCheckAgain() {
    // Private addresses are off: the blob itself is allowed, the redirect target is not.
    assertThatThrownBy(
            () -> fetcher(false, prefix()).fetch(prefix() + "moved" + SIGNED, "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("non-public address");
    assertThat(seen).containsExactly(new Seen("/internal/blobs/moved", null));
  }

  @Test
  void aProducersUrlRedirectingIntoThePrefixReadsNothing() {
    String producerUrl = base + "/redirect?to=" + prefix() + "ab12";

    assertThatThrownBy(() -> fetcher(true, prefix()).fetch(producerUrl, "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("HTTP 404");
    assertThat(seen).extracting(Seen::authorization).containsOnlyNulls();
    assertThat(seen).extracting(Seen::path).containsExactly("/redirect", "/internal/blobs/ab12");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:PORT/internal/blobs/../admin",
        "http://127.0.0.1:PORT/internal/blobs/a/../../admin",
        "http://127.0.0.1:PORT/internal/blobs/./x",
        "http://127.0.0.1:PORT/internal/blobs/%2e%2e/admin",
        "http://127.0.0.1:PORT/internal/blobs/a%2fb",
        "http://127.0.0.1:PORT/internal/blobs/",
        "http://127.0.0.1:PORT/internal/blobs-other/ab12",
        "http://127.0.0.1:PORT/internal/ab12",
        "http://user@127.0.0.1:PORT/internal/blobs/ab12",
        "https://127.0.0.1:PORT/internal/blobs/ab12",
        "http://127.0.0.2:PORT/internal/blobs/ab12",
        "http://localhost:PORT/internal/blobs/ab12",
        "http://127.0.0.1/internal/blobs/ab12",
        "http://127.0.0.1:PORT@127.0.0.2/internal/blobs/ab12"
      })
  void onlyPlainPathsUnderTheExactOriginAreInternal(String uri) {
    MediaFetcher fetcher = fetcher(false, prefix());
    String withPort = uri.replace("PORT", Integer.toString(server.getAddress().getPort()));

    assertThat(fetcher.isInternal(URI.create(withPort))).isFalse();
    // Not internal, so the ordinary SSRF check refuses the private address before any request.
    assertThatThrownBy(() -> fetcher.fetch(withPort, "data.uri"))
        .isInstanceOf(FetchRefusedException.class);
    assertThat(seen).isEmpty();
  }

  @Test
  void matchesSchemeAndHostCaseInsensitivelyAndTheDefaultPort() {
    MediaFetcher fetcher = fetcher(false, "http://Blobs.Internal/internal/blobs/");

    assertThat(fetcher.isInternal(URI.create("HTTP://blobs.internal:80/internal/blobs/ab12")))
        .isTrue();
    assertThat(fetcher.isInternal(URI.create("http://blobs.internal:8080/internal/blobs/ab12")))
        .isFalse();
  }

  @Test
  void refusesAPrefixThatIsNotAnHttpUrl() {
    assertThatThrownBy(() -> fetcher(false, "ftp://127.0.0.1/internal/blobs/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fetcher(false, base + "/internal/blobs/?x=1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fetchesOverHttpWithinTheSizeLimitAndReportsServerErrorsAsTransient() {
    server.createContext("/big", exchange -> send(exchange, new byte[4096]));
    server.createContext(
        "/broken",
        exchange -> {
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });

    assertThatThrownBy(() -> fetcher(true, null).fetch(base + "/big", "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("over the limit of 1024");
    assertThatThrownBy(() -> fetcher(true, null).fetch(base + "/broken", "data.uri"))
        .isInstanceOf(FetchFailedException.class)
        .hasMessageContaining("HTTP 503");
  }
}
