package multimodal.media.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large audio and video are fetched into a file under their own byte limit: the body is streamed
 * there (never held), and a body over the limit is refused as soon as it passes it, whether the
 * server declared its length or not.
 */
class FetchToFileTest {
  private static final long IMAGE_LIMIT = 1024;
  private static final long VIDEO_LIMIT = 3L * 1024 * 1024;

  private static LoopbackServer server;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws IOException {
    server =
        LoopbackServer.http("127.0.0.1", 0).stream("/fits.mp4", VIDEO_LIMIT, false).stream(
            "/over.mp4", VIDEO_LIMIT + 1, false)
            .stream("/declared-over.mp4", VIDEO_LIMIT + 1, true);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static MediaFetcher fetcher() {
    return new MediaFetcher(
        new FetchPolicy(
            Duration.ofSeconds(2),
            Duration.ofSeconds(10),
            IMAGE_LIMIT,
            true,
            Optional.empty(),
            3,
            "test.fetch"));
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  @Test
  void streamsABodyUpToTheLargerLimitIntoTheFile() throws IOException {
    Path target = dir.resolve("video");

    MediaFetcher.FetchedFile fetched =
        fetcher().withMaxBytes(VIDEO_LIMIT).fetchToFile(url("/fits.mp4"), "data.uri", target);

    assertThat(fetched.size()).isEqualTo(VIDEO_LIMIT);
    assertThat(Files.size(target)).isEqualTo(VIDEO_LIMIT);
    assertThat(fetched.contentType()).isEqualTo("video/mp4");
    // The image limit still holds for a fetch into memory.
    assertThatThrownBy(() -> fetcher().fetch(url("/fits.mp4"), "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("over the limit of " + IMAGE_LIMIT);
  }

  @Test
  void refusesAnUndeclaredBodyOverTheLimitNamingIt() {
    assertThatThrownBy(
            () ->
                fetcher()
                    .withMaxBytes(VIDEO_LIMIT)
                    .fetchToFile(url("/over.mp4"), "data.uri", dir.resolve("video")))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("data.uri")
        .hasMessageContaining("over the limit of " + VIDEO_LIMIT);
  }

  @Test
  void refusesADeclaredBodyOverTheLimitThroughTheRetriesAtOnce() {
    FetchRetry retry = new FetchRetry(fetcher(), 3, Duration.ofMillis(10), message -> {});
    int before = server.hits().size();

    assertThatThrownBy(
            () ->
                retry.fetchToFile(
                    url("/declared-over.mp4"), "data.uri", dir.resolve("video"), VIDEO_LIMIT))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("over the limit of " + VIDEO_LIMIT);
    assertThat(server.hits().size() - before).as("a refusal is not retried").isEqualTo(1);
  }
}
