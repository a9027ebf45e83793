package multimodal.encoder.fetch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@link MediaFetcher} may fetch, and how long it waits.
 *
 * @param connectTimeout TCP connect timeout
 * @param readTimeout timeout of each read, and of the whole download
 * @param maxBytes largest body accepted
 * @param allowPrivateAddresses allow loopback, private, link-local (cloud metadata) and other
 *     non-public addresses; off in production (SSRF), on for a local demo
 * @param fileRoot the only folder {@code file:} URIs may point into; empty disables them
 * @param maxRedirects redirects followed, each target checked again
 */
public record FetchPolicy(
    Duration connectTimeout,
    Duration readTimeout,
    long maxBytes,
    boolean allowPrivateAddresses,
    Optional<Path> fileRoot,
    int maxRedirects) {}
