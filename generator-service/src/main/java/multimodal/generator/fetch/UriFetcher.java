package multimodal.generator.fetch;

import io.quarkus.logging.Log;
import java.nio.file.Path;
import java.time.Duration;
import multimodal.generator.InvalidInputException;
import multimodal.media.fetch.FetchFailedException;
import multimodal.media.fetch.FetchRefusedException;
import multimodal.media.fetch.FetchRetry;
import multimodal.media.fetch.MediaFetcher;

/**
 * Reads {@code uri} image sources through the contract's {@link MediaFetcher} (SSRF guard, size
 * limit, claim-check token): a URI that can never be fetched becomes an {@link
 * InvalidInputException} (INVALID_ARGUMENT, a dead letter); a failure that may pass stays a {@link
 * FetchFailedException}.
 */
public final class UriFetcher {
  private final MediaFetcher fetcher;
  private final FetchRetry retry;

  /**
   * @param attempts tries of a transiently failing fetch on the Kafka path
   * @param firstBackoff the wait before the second try (doubled before each next one)
   */
  public UriFetcher(MediaFetcher fetcher, int attempts, Duration firstBackoff) {
    this.fetcher = fetcher;
    this.retry = new FetchRetry(fetcher, Math.max(1, attempts), firstBackoff, Log::warn);
  }

  /** One try: a gRPC caller gets UNAVAILABLE and decides itself whether to retry. */
  public byte[] fetchOnce(String uri, String field) {
    try {
      return fetcher.fetch(uri, field).bytes();
    } catch (FetchRefusedException e) {
      throw new InvalidInputException(e.field(), e.description(), e);
    }
  }

  /**
   * As {@link #fetchWithRetries}, streaming the body into {@code target} under {@code maxBytes}
   * (large audio and video: their own limit, never into memory).
   */
  public void fetchToFileWithRetries(String uri, String field, Path target, long maxBytes) {
    try {
      retry.fetchToFile(uri, field, target, maxBytes);
    } catch (FetchRefusedException e) {
      throw new InvalidInputException(e.field(), e.description(), e);
    }
  }

  /** Up to {@code attempts} tries, with backoff, for failures that may pass; the last is thrown. */
  public byte[] fetchWithRetries(String uri, String field) {
    try {
      return retry.fetch(uri, field).bytes();
    } catch (FetchRefusedException e) {
      throw new InvalidInputException(e.field(), e.description(), e);
    }
  }
}
