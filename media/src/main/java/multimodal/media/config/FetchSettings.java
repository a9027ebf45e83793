package multimodal.media.config;

import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import multimodal.media.fetch.FetchPolicy;
import multimodal.media.fetch.FetchRetry;
import multimodal.media.fetch.MediaFetcher;

/**
 * The fetch settings of every service that fetches caller-supplied URIs ({@code <prefix>.fetch.*}):
 * a service's config group extends this and adds what is its own.
 */
public interface FetchSettings {
  @WithDefault("5s")
  Duration connectTimeout();

  /** Timeout of each read and of the whole download. */
  @WithDefault("30s")
  Duration readTimeout();

  /** Allow fetching from loopback/private/link-local addresses (local demo only: SSRF). */
  @WithDefault("false")
  boolean allowPrivateAddresses();

  /** The only folder file: URIs may read; unset disables file: URIs. */
  Optional<Path> fileRoot();

  @WithDefault("3")
  int maxRedirects();

  /** Tries in all of a fetch that fails transiently (timeouts, 5xx) on the Kafka path. */
  @WithDefault("3")
  int attempts();

  /** Wait before the second attempt; doubled before each next one, with ±50% jitter. */
  @WithDefault("250ms")
  Duration retryBackoff();

  /**
   * The gateway's claim-check URL prefix ({@code <gateway.blobs.base-url>/internal/blobs/}): URIs
   * under it may be on a private address. They are fetched as given, with no credential: the
   * gateway signed each one for one tenant and blob.
   */
  Optional<String> internalPrefix();

  /**
   * The fetcher these settings describe.
   *
   * @param maxBytes the service's image byte limit
   * @param settingsPrefix the service's prefix, e.g. {@code encoder.fetch}, named in refusals
   */
  static MediaFetcher fetcher(FetchSettings settings, long maxBytes, String settingsPrefix) {
    return new MediaFetcher(
        new FetchPolicy(
            settings.connectTimeout(),
            settings.readTimeout(),
            maxBytes,
            settings.allowPrivateAddresses(),
            settings.fileRoot(),
            settings.maxRedirects(),
            settings.internalPrefix(),
            settingsPrefix));
  }

  /** The Kafka path's retries over {@code fetcher}, logging each retried failure to {@code log}. */
  static FetchRetry retry(
      FetchSettings settings, MediaFetcher fetcher, java.util.function.Consumer<String> log) {
    return new FetchRetry(fetcher, settings.attempts(), settings.retryBackoff(), log);
  }
}
