package multimodal.media.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fetcher connects to the address it checked. 127.0.0.2 stands in for a public host (the test's
 * address rule calls it public; every other address is judged by {@link AddressClassifier}), and a
 * server on 127.0.0.1 with the same port plays the internal service an attacker wants to reach.
 */
class PinnedResolutionTest {
  private static final String STAND_IN_PUBLIC = "127.0.0.2";
  private static final byte[] PUBLIC_IMAGE = {1, 2, 3};
  private static final byte[] SECRET = {6, 6, 6};

  private LoopbackServer internal;
  private LoopbackServer external;
  private int port;
  private final ScriptedResolver resolver = new ScriptedResolver();

  @BeforeEach
  void startServers() throws IOException {
    internal = LoopbackServer.http("127.0.0.1", 0).image("/", SECRET);
    port = internal.port();
  }

  @AfterEach
  void stopServers() {
    internal.close();
    if (external != null) {
      external.close();
    }
  }

  /** Answers each name from its script, one answer per lookup; other names from the system. */
  static final class ScriptedResolver implements HostResolver {
    private final Map<String, Deque<List<InetAddress>>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Integer> lookups = new ConcurrentHashMap<>();

    @SafeVarargs
    final ScriptedResolver answer(String host, List<String>... answers) {
      Deque<List<InetAddress>> script = new ArrayDeque<>();
      for (List<String> answer : answers) {
        script.add(answer.stream().map(ScriptedResolver::parse).toList());
      }
      scripts.put(host, script);
      return this;
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
      lookups.merge(host, 1, Integer::sum);
      Deque<List<InetAddress>> script = scripts.get(host);
      if (script == null) {
        return HostResolver.SYSTEM.resolve(host);
      }
      return script.size() > 1 ? script.poll() : script.peek();
    }

    int lookups(String host) {
      return lookups.getOrDefault(host, 0);
    }

    int totalLookups() {
      return lookups.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static InetAddress parse(String literal) {
      try {
        return InetAddress.getByName(literal);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(e);
      }
    }
  }

  private static FetchPolicy policy() {
    return new FetchPolicy(
        Duration.ofSeconds(2),
        Duration.ofSeconds(2),
        1024,
        false,
        Optional.empty(),
        3,
        "test.fetch");
  }

  private static Optional<String> standInRule(InetAddress address) {
    return address.getHostAddress().equals(STAND_IN_PUBLIC)
        ? Optional.empty()
        : AddressClassifier.refusal(address);
  }

  private MediaFetcher fetcher(OkHttpClient base) {
    return new MediaFetcher(policy(), resolver, PinnedResolutionTest::standInRule, base);
  }

  private MediaFetcher fetcher() {
    return fetcher(new OkHttpClient());
  }

  private LoopbackServer external() throws IOException {
    external = LoopbackServer.http(STAND_IN_PUBLIC, port);
    return external;
  }

  @Test
  void aResolverThatAnswersLoopbackTheSecondTimeIsNeverAskedTwice() throws IOException {
    external().image("/a.png", PUBLIC_IMAGE);
    resolver.answer("images.test", List.of(STAND_IN_PUBLIC), List.of("127.0.0.1"));

    byte[] bytes = fetcher().fetch("http://images.test:" + port + "/a.png", "data.uri").bytes();

    assertThat(bytes).containsExactly(PUBLIC_IMAGE);
    assertThat(resolver.lookups("images.test")).isEqualTo(1);
    assertThat(internal.hits()).isEmpty();
    assertThat(external.hits())
        .containsExactly(new LoopbackServer.Hit("/a.png", "images.test:" + port));
  }

  @Test
  void everyFetchResolvesAfreshAndChecksTheNewAnswer() throws IOException {
    external().image("/a.png", PUBLIC_IMAGE);
    resolver.answer("images.test", List.of(STAND_IN_PUBLIC), List.of("127.0.0.1"));
    MediaFetcher fetcher = fetcher();
    fetcher.fetch("http://images.test:" + port + "/a.png", "data.uri");

    assertThatThrownBy(() -> fetcher.fetch("http://images.test:" + port + "/a.png", "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("non-public address 127.0.0.1")
        .hasMessageContaining("127.0.0.0/8");
    assertThat(internal.hits()).isEmpty();
  }

  @Test
  void oneNonPublicAnswerAmongSeveralRefusesTheHost() throws IOException {
    external().image("/a.png", PUBLIC_IMAGE);
    resolver.answer("images.test", List.of(STAND_IN_PUBLIC, "127.0.0.1"));

    assertThatThrownBy(() -> fetcher().fetch("http://images.test:" + port + "/a.png", "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("non-public address 127.0.0.1");
    assertThat(internal.hits()).isEmpty();
    assertThat(external.hits()).isEmpty();
  }

  @Test
  void eachRedirectHopIsResolvedOnceCheckedAndPinned() throws IOException {
    external()
        .redirect("/start", "http://cdn.test:" + port + "/a.png")
        .image("/a.png", PUBLIC_IMAGE);
    resolver.answer("images.test", List.of(STAND_IN_PUBLIC), List.of("127.0.0.1"));
    resolver.answer("cdn.test", List.of(STAND_IN_PUBLIC), List.of("127.0.0.1"));

    byte[] bytes = fetcher().fetch("http://images.test:" + port + "/start", "data.uri").bytes();

    assertThat(bytes).containsExactly(PUBLIC_IMAGE);
    assertThat(resolver.lookups("images.test")).isEqualTo(1);
    assertThat(resolver.lookups("cdn.test")).isEqualTo(1);
    assertThat(internal.hits()).isEmpty();
    assertThat(external.hits())
        .extracting(LoopbackServer.Hit::hostHeader)
        .containsExactly("images.test:" + port, "cdn.test:" + port);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://internal.test:PORT/secret",
        "http://localhost:PORT/secret",
        "http://127.0.0.1:PORT/secret",
        "http://[::1]:PORT/secret",
        "http://[::ffff:127.0.0.1]:PORT/secret",
        "http://[64:ff9b::7f00:1]:PORT/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://2130706433:PORT/secret",
        "http://0x7f.1:PORT/secret",
        "/internal-path-on-a-host-that-now-resolves-to-loopback"
      })
  void aRedirectToAPrivateAddressIsRefusedBeforeAnyRequest(String location) throws IOException {
    external().redirect("/start", location.replace("PORT", Integer.toString(port)));
    resolver.answer("internal.test", List.of("127.0.0.1"));
    resolver.answer("images.test", List.of(STAND_IN_PUBLIC), List.of("127.0.0.1"));

    assertThatThrownBy(() -> fetcher().fetch("http://images.test:" + port + "/start", "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageMatching(".*(non-public address|non-standard form).*");
    assertThat(internal.hits()).isEmpty();
    assertThat(external.hits()).extracting(LoopbackServer.Hit::path).containsExactly("/start");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"file:///etc/passwd", "ftp://images.test/a.png", "gopher://images.test:70/"})
  void aRedirectToAnotherSchemeIsRefused(String location) throws IOException {
    external().redirect("/start", location);
    resolver.answer("images.test", List.of(STAND_IN_PUBLIC));

    assertThatThrownBy(() -> fetcher().fetch("http://images.test:" + port + "/start", "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("redirect to an invalid location");
  }

  @Test
  void followsAtMostMaxRedirectsHops() throws IOException {
    external().redirect("/loop", "/loop");
    resolver.answer("images.test", List.of(STAND_IN_PUBLIC));

    assertThatThrownBy(() -> fetcher().fetch("http://images.test:" + port + "/loop", "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("more than 3 redirects");
    assertThat(external.hits()).hasSize(4); // the request and three redirects
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://2130706433/a.png",
        "http://0x7f000001/a.png",
        "http://0x7f.1/a.png",
        "http://0x7F.0.0.1/a.png",
        "http://017700000001/a.png",
        "http://0177.0.0.1/a.png",
        "http://127.1/a.png",
        "http://127.0.1/a.png",
        "http://127.0.0.1./a.png",
        "http://010.0.0.1/a.png",
        "http://3232235777/a.png",
        "http://images.0x10/a.png",
        "http://8.8.8/a.png"
      })
  void refusesNumbersInANonStandardFormWithoutLookingThemUp(String uri) {
    assertThatThrownBy(() -> fetcher().fetch(uri, "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("non-standard form");
    assertThat(resolver.totalLookups()).isZero();
    assertThat(internal.hits()).isEmpty();
  }

  @Test
  void httpsKeepsTheNameForSniTheHostHeaderAndCertificateVerification() throws IOException {
    HeldCertificate certificate =
        new HeldCertificate.Builder().addSubjectAlternativeName("images.test").build();
    external =
        LoopbackServer.https(STAND_IN_PUBLIC, port, serverTls(certificate))
            .image("/a.png", PUBLIC_IMAGE);
    resolver.answer("images.test", List.of(STAND_IN_PUBLIC), List.of("127.0.0.1"));
    MediaFetcher fetcher = fetcher(trusting(certificate));

    byte[] bytes = fetcher.fetch("https://images.test:" + port + "/a.png", "data.uri").bytes();

    assertThat(bytes).containsExactly(PUBLIC_IMAGE);
    assertThat(external.sniNames()).containsOnly("images.test");
    assertThat(external.hits())
        .containsExactly(new LoopbackServer.Hit("/a.png", "images.test:" + port));
  }

  @Test
  void httpsRefusesACertificateForAnotherNameAtThePinnedAddress() throws IOException {
    HeldCertificate certificate =
        new HeldCertificate.Builder().addSubjectAlternativeName("other.test").build();
    external =
        LoopbackServer.https(STAND_IN_PUBLIC, port, serverTls(certificate))
            .image("/a.png", PUBLIC_IMAGE);
    resolver.answer("images.test", List.of(STAND_IN_PUBLIC));
    MediaFetcher fetcher = fetcher(trusting(certificate));

    assertThatThrownBy(() -> fetcher.fetch("https://images.test:" + port + "/a.png", "data.uri"))
        .isInstanceOf(FetchFailedException.class)
        .hasRootCauseInstanceOf(SSLPeerUnverifiedException.class);
    assertThat(external.hits()).isEmpty();
  }

  private static SSLContext serverTls(HeldCertificate certificate) {
    return new HandshakeCertificates.Builder().heldCertificate(certificate).build().sslContext();
  }

  private static OkHttpClient trusting(HeldCertificate certificate) {
    HandshakeCertificates trust =
        new HandshakeCertificates.Builder()
            .addTrustedCertificate(certificate.certificate())
            .build();
    return new OkHttpClient.Builder()
        .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
        .build();
  }
}
