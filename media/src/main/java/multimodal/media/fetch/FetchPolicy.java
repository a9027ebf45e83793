package multimodal.media.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
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
 * @param internalPrefix the gateway's claim-check blob URL prefix, e.g. {@code
 *     http://127.0.0.1:8080/internal/blobs/}: URIs under it may be on a private address; empty: no
 *     URI is internal. No credential is sent: the gateway signs each blob URL it issues.
 * @param settingsPrefix the owning service's config prefix, e.g. {@code encoder.fetch}, named in
 *     refusals so an operator knows which property to change
 */
public record FetchPolicy(
    Duration connectTimeout,
    Duration readTimeout,
    long maxBytes,
    boolean allowPrivateAddresses,
    Optional<Path> fileRoot,
    int maxRedirects,
    Optional<String> internalPrefix,
    String settingsPrefix) {

  public FetchPolicy {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    fileRoot = fileRoot == null ? Optional.empty() : fileRoot;
    internalPrefix =
        internalPrefix == null
            ? Optional.empty()
            : internalPrefix.map(String::strip).filter(p -> !p.isEmpty());
    internalPrefix = internalPrefix.map(FetchPolicy::checkPrefix);
    settingsPrefix = settingsPrefix == null || settingsPrefix.isBlank() ? "fetch" : settingsPrefix;
  }

  /** A policy without internal blobs (no prefix). */
  public FetchPolicy(
      Duration connectTimeout,
      Duration readTimeout,
      long maxBytes,
      boolean allowPrivateAddresses,
      Optional<Path> fileRoot,
      int maxRedirects,
      String settingsPrefix) {
    this(
        connectTimeout,
        readTimeout,
        maxBytes,
        allowPrivateAddresses,
        fileRoot,
        maxRedirects,
        Optional.empty(),
        settingsPrefix);
  }

  /** The same policy with another byte limit (large audio and video have their own). */
  public FetchPolicy withMaxBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive: " + bytes);
    }
    return new FetchPolicy(
        connectTimeout,
        readTimeout,
        bytes,
        allowPrivateAddresses,
        fileRoot,
        maxRedirects,
        internalPrefix,
        settingsPrefix);
  }

  /** An absolute http(s) URL with a host, no user info, query or fragment; ends with '/'. */
  private static String checkPrefix(String prefix) {
    URI uri;
    try {
      uri = new URI(prefix);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("internal prefix is not a valid URI: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "internal prefix must be an absolute http(s) URL with a host: " + prefix);
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "internal prefix must have no user info, query or fragment: " + prefix);
    }
    // A trailing slash so that ".../blobs" cannot also match ".../blobs-other".
    return prefix.endsWith("/") ? prefix : prefix + "/";
  }
}
