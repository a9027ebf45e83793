package multimodal.media.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FetchRetryTest {
  private static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G'};

  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final List<Long> requestTimes = new CopyOnWriteArrayList<>();
  private final List<String> retries = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private String url;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/a.png";
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  /** 503 while failures are left, then the image. */
  private void handle(HttpExchange exchange) throws IOException {
    requestTimes.add(System.nanoTime());
    boolean fail = failuresLeft.getAndDecrement() > 0;
    byte[] body = fail ? new byte[0] : IMAGE;
    exchange.sendResponseHeaders(fail ? 503 : 200, body.length == 0 ? -1 : body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private FetchRetry retry(int attempts) {
    MediaFetcher fetcher =
        new MediaFetcher(
            new FetchPolicy(
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                1024,
                true,
                Optional.empty(),
                3,
                "test.fetch"));
    return new FetchRetry(fetcher, attempts, Duration.ofMillis(100), retries::add);
  }

  @Test
  void retriesFailuresThatMayPassWithAGrowingWait() {
    failuresLeft.set(2);

    assertThat(retry(3).fetch(url, "data.uri").bytes()).isEqualTo(IMAGE);

    assertThat(requestTimes).hasSize(3);
    assertThat(retries).hasSize(2).allSatisfy(line -> assertThat(line).contains("HTTP 503"));
    // first wait 100 ms ± 50%, second 200 ms ± 50%: never back to back
    long firstWaitMs = (requestTimes.get(1) - requestTimes.get(0)) / 1_000_000;
    long secondWaitMs = (requestTimes.get(2) - requestTimes.get(1)) / 1_000_000;
    assertThat(firstWaitMs).isGreaterThanOrEqualTo(50);
    assertThat(secondWaitMs).isGreaterThanOrEqualTo(100);
  }

  @Test
  void throwsTheLastFailureWhenEveryTryFailed() {
    failuresLeft.set(10);

    assertThatThrownBy(() -> retry(2).fetch(url, "data.uri"))
        .isInstanceOf(FetchFailedException.class)
        .hasMessageContaining("HTTP 503");
    assertThat(requestTimes).hasSize(2);
  }

  @Test
  void aRefusalIsNeverRetried() {
    assertThatThrownBy(() -> retry(5).fetch("ftp://127.0.0.1/a.png", "data.uri"))
        .isInstanceOf(FetchRefusedException.class);
    assertThat(retries).isEmpty();
  }

  @Test
  void refusesNonsenseSettings() {
    assertThatThrownBy(() -> retry(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
