package multimodal.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The rule for an image URL a caller supplies, on every front door (REST bodies, gRPC ImageSource,
 * URL ingest): an absolute http(s) URL with a host, and never the gateway's internal blob route.
 */
public final class CallerUris {
  /** The gateway's claim-check route; workers fetch the URLs the gateway signed under it. */
  public static final String INTERNAL_BLOB_PATH = "/internal/blobs/";

  private CallerUris() {}

  /**
   * The URI as given (stripped) when a caller may hand it to the platform.
   *
   * @throws RequestRefused INVALID_REQUEST, naming what is wrong; the same words for every internal
   *     blob URL, whether or not its hash exists, so the answer says nothing about other tenants'
   *     blobs
   */
  public static String check(String value) {
    if (value == null || value.isBlank()) {
      throw RequestRefused.invalid("'uri' is required");
    }
    URI uri;
    try {
      uri = new URI(value.strip());
    } catch (URISyntaxException e) {
      throw RequestRefused.invalid("'uri' is not a valid URI: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw RequestRefused.invalid("'uri' must be an absolute http or https URL with a host");
    }
    // The gateway cannot know every name it is reached by (127.0.0.1, localhost, a service name),
    // so any URL whose path is under the blob route is refused, judged on the raw and on the
    // decoded
    // path (an HTTP server decodes %62 to 'b') with repeated slashes folded as servers fold them.
    if (underBlobRoute(uri.normalize().getRawPath()) || underBlobRoute(decodedPath(uri))) {
      throw RequestRefused.invalid(
          "'uri' must not point at the gateway's internal blob route (" + INTERNAL_BLOB_PATH + ")");
    }
    return uri.toString();
  }

  /** The percent-decoded path with its dot segments resolved, as a server would route it. */
  private static String decodedPath(URI uri) {
    if (uri.getPath() == null) {
      return null;
    }
    try {
      return new URI(null, null, uri.getPath().replaceAll("/{2,}", "/"), null)
          .normalize()
          .getPath();
    } catch (URISyntaxException e) {
      return uri.getPath();
    }
  }

  private static boolean underBlobRoute(String path) {
    return path != null
        && path.replaceAll("/{2,}", "/").toLowerCase(Locale.ROOT).startsWith(INTERNAL_BLOB_PATH);
  }
}
