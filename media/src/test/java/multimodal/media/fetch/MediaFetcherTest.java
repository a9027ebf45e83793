package multimodal.media.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaFetcherTest {
  @TempDir Path root;

  private MediaFetcher fetcher(Optional<Path> fileRoot) {
    return new MediaFetcher(
        new FetchPolicy(
            Duration.ofSeconds(1), Duration.ofSeconds(1), 1024, false, fileRoot, 3, "test.fetch"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/a.png",
        "http://localhost:8080/a.png",
        "http://169.254.169.254/latest/meta-data",
        "http://10.1.2.3/a.png",
        "http://192.168.0.1/a.png",
        "http://[::1]/a.png",
        "http://[fd00:ec2::254]/a.png",
        "http://100.64.0.1/a.png",
        "http://[::ffff:127.0.0.1]/a.png",
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data",
        "http://[2002:7f00:1::]/a.png"
      })
  void refusesNonPublicAddresses(String uri) {
    assertThatThrownBy(() -> fetcher(Optional.empty()).fetch(uri, "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("non-public address")
        .hasMessageContaining("test.fetch.allow-private-addresses");
  }

  @Test
  void refusesOtherSchemes() {
    assertThatThrownBy(() -> fetcher(Optional.empty()).fetch("ftp://example.com/a.png", "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("unsupported URI scheme 'ftp'");
  }

  @Test
  void refusesFileUrisWithoutARoot() throws IOException {
    Path file = Files.write(root.resolve("a.png"), new byte[] {1, 2, 3});

    assertThatThrownBy(() -> fetcher(Optional.empty()).fetch(file.toUri().toString(), "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("file: URIs are disabled");
  }

  @Test
  void readsFilesUnderTheRootOnly(@TempDir Path outside) throws IOException {
    Path inside = Files.write(root.resolve("a.png"), new byte[] {1, 2, 3});
    Path other = Files.write(outside.resolve("b.png"), new byte[] {4});
    MediaFetcher fetcher = fetcher(Optional.of(root));

    assertThat(fetcher.fetch(inside.toUri().toString(), "data.uri").bytes())
        .containsExactly(1, 2, 3);
    assertThatThrownBy(() -> fetcher.fetch(other.toUri().toString(), "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("outside the allowed root");
  }

  @Test
  void refusesFilesOverTheSizeLimit() throws IOException {
    Path big = Files.write(root.resolve("big.png"), new byte[2048]);

    assertThatThrownBy(() -> fetcher(Optional.of(root)).fetch(big.toUri().toString(), "data.uri"))
        .isInstanceOf(FetchRefusedException.class)
        .hasMessageContaining("over the limit of 1024");
  }
}
