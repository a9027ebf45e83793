package multimodal.generator.fetch;

import io.quarkus.logging.Log;
import multimodal.generator.InvalidInputException;
import multimodal.media.fetch.FetchFailedException;
import multimodal.media.fetch.FetchRefusedException;
import multimodal.media.fetch.MediaFetcher;

/**
 * Reads {@code uri} image sources through the contract's {@link MediaFetcher} (SSRF guard, size
 * limit, claim-check token): a URI that can never be fetched becomes an {@link
 * InvalidInputException} (INVALID_ARGUMENT, a dead letter); a failure that may pass stays a {@link
 * FetchFailedException}.
 */
public final class UriFetcher {
  private final MediaFetcher fetcher;
  private final int attempts;

  /** @param attempts tries of a transiently failing fetch on the Kafka path */
  public UriFetcher(MediaFetcher fetcher, int attempts) {
    this.fetcher = fetcher;
    this.attempts = Math.max(1, attempts);
  }

  /** One try: a gRPC caller gets UNAVAILABLE and decides itself whether to retry. */
  public byte[] fetchOnce(String uri, String field) {
    try {
      return fetcher.fetch(uri, field).bytes();
    } catch (FetchRefusedException e) {
      throw new InvalidInputException(e.field(), e.description(), e);
    }
  }

  /** Up to {@code attempts} tries for failures that may pass; the last failure is thrown. */
  public byte[] fetchWithRetries(String uri, String field) {
    FetchFailedException last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        return fetchOnce(uri, field);
      } catch (FetchFailedException e) {
        last = e;
        Log.warnf("fetch attempt %d of %d failed: %s", attempt, attempts, e.getMessage());
      }
    }
    throw last;
  }
}
