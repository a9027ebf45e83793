package multimodal.media.fetch;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Fetches for the Kafka path, where a record must not become a dead letter because its host
 * hiccuped once: a {@link FetchFailedException} (connection, timeout, 5xx) is retried up to {@code
 * attempts} tries with exponential backoff and jitter; a {@link FetchRefusedException} (the URL can
 * never be fetched) is thrown at once. The gRPC path fetches once: its caller decides whether to
 * retry.
 */
public final class FetchRetry {
  private final MediaFetcher fetcher;
  private final Retry retry;

  /**
   * @param attempts tries in all (1 = no retry)
   * @param firstBackoff the wait before the second try; doubled before each next one, ±50% jitter
   * @param onRetry told of each failure that will be retried (the services log it)
   */
  public FetchRetry(
      MediaFetcher fetcher, int attempts, Duration firstBackoff, Consumer<String> onRetry) {
    if (attempts < 1 || firstBackoff.isNegative() || firstBackoff.isZero()) {
      throw new IllegalArgumentException("attempts must be >= 1 and the backoff positive");
    }
    this.fetcher = fetcher;
    this.retry =
        Retry.of(
            "fetch",
            RetryConfig.custom()
                .maxAttempts(attempts)
                .intervalFunction(
                    IntervalFunction.ofExponentialRandomBackoff(firstBackoff, 2.0, 0.5))
                .retryExceptions(FetchFailedException.class)
                .build());
    retry
        .getEventPublisher()
        .onRetry(
            event ->
                onRetry.accept(
                    "fetch attempt "
                        + event.getNumberOfRetryAttempts()
                        + " of "
                        + attempts
                        + " failed, next in "
                        + event.getWaitInterval().toMillis()
                        + " ms: "
                        + event.getLastThrowable().getMessage()));
  }

  /** The media's bytes; the last failure when every try failed, or the refusal at once. */
  public MediaFetcher.FetchedMedia fetch(String uri, String field) {
    return retry.executeSupplier(() -> fetcher.fetch(uri, field));
  }

  /**
   * As {@link #fetch}, streaming the body into {@code target} (each try starts the file again);
   * {@code maxBytes} is this fetch's limit (large audio and video have their own).
   */
  public MediaFetcher.FetchedFile fetchToFile(
      String uri, String field, java.nio.file.Path target, long maxBytes) {
    MediaFetcher limited =
        maxBytes == fetcher.policy().maxBytes() ? fetcher : fetcher.withMaxBytes(maxBytes);
    return retry.executeSupplier(() -> limited.fetchToFile(uri, field, target));
  }
}
