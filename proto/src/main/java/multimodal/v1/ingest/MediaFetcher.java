package multimodal.v1.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The ingest contract's client-side helper: fetches the bytes of a media URI ({@code data.uri} of
 * an {@link IngestEvent}, or a gRPC ImageSource uri): {@code http}/{@code https} with connect and
 * read timeouts, a size limit and an SSRF guard (every resolved address of every redirect hop must
 * be public unless private addresses are allowed), or {@code file:} under the one configured root.
 *
 * <p>Claim-check blobs: a URI under the policy's internal prefix (the gateway's {@code
 * /internal/blobs/}) may be on a private address, but only while every hop stayed under it (a
 * redirect from outside cannot reach it). It is fetched as given, with no credential: the gateway
 * signed it for one tenant and one blob, so a URI a producer or caller wrote reads nothing.
 *
 * <p>HttpURLConnection rather than java.net.http.HttpClient: its per-read timeout also bounds a
 * server that stalls mid-body, which HttpClient's InputStream body does not.
 *
 * <p>Known gap: the host is resolved for the check and again by the connection, so a DNS answer
 * that changes in between (rebinding) is not caught; pinning the address is for a later issue.
 */
public final class MediaFetcher {
  /** Unreserved characters only: no encoded '/', '.' or '\\' can hide in an internal blob path. */
  private static final Pattern PLAIN_SEGMENTS = Pattern.compile("[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*");

  private final FetchPolicy policy;

  public MediaFetcher(FetchPolicy policy) {
    this.policy = policy;
  }

  /** The fetched bytes and the content type the server declared (null for files). */
  public record FetchedMedia(byte[] bytes, String contentType) {}

  /**
   * @param field names the item in errors, e.g. {@code data.uri}
   * @throws FetchRefusedException for a URI that can never be fetched (bad scheme, forbidden
   *     address, HTTP 4xx, too large)
   * @throws FetchFailedException for a failure that may pass
   */
  public FetchedMedia fetch(String uri, String field) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw new FetchRefusedException(field, "not a valid URI: " + e.getMessage());
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "http", "https" -> fetchHttp(parsed, field);
      case "file" -> fetchFile(parsed, field);
      default -> throw new FetchRefusedException(
          field, "unsupported URI scheme '" + scheme + "' (http, https, or file under the configured root)");
    };
  }

  private FetchedMedia fetchHttp(URI uri, String field) {
    URI current = uri;
    // Internal only while every hop so far stayed under the prefix.
    boolean internal = isInternal(uri);
    for (int hop = 0; hop <= policy.maxRedirects(); hop++) {
      internal = internal && isInternal(current);
      if (!internal) {
        checkHost(current, field);
      }
      HttpURLConnection connection = null;
      try {
        connection = (HttpURLConnection) current.toURL().openConnection();
        connection.setInstanceFollowRedirects(false); // each hop is checked again
        connection.setConnectTimeout((int) policy.connectTimeout().toMillis());
        connection.setReadTimeout((int) policy.readTimeout().toMillis());
        connection.setRequestProperty("Accept", "image/*");
        int status = connection.getResponseCode();
        if (status >= 300 && status < 400 && connection.getHeaderField("Location") != null) {
          try {
            current = current.resolve(connection.getHeaderField("Location"));
          } catch (IllegalArgumentException e) {
            throw new FetchRefusedException(field, "redirect to an invalid location from " + current.getHost());
          }
          continue;
        }
        if (status >= 500) {
          throw new FetchFailedException(field + ": HTTP " + status + " from " + current.getHost(), null);
        }
        if (status != 200) {
          throw new FetchRefusedException(field, "HTTP " + status + " from " + current.getHost());
        }
        long declared = connection.getContentLengthLong();
        if (declared > policy.maxBytes()) {
          throw tooLarge(field, declared);
        }
        try (InputStream body = connection.getInputStream()) {
          return new FetchedMedia(readLimited(body, field), connection.getContentType());
        }
      } catch (IOException e) {
        throw new FetchFailedException(field + ": fetching from " + current.getHost() + " failed: " + e, e);
      } finally {
        if (connection != null) {
          connection.disconnect();
        }
      }
    }
    throw new FetchRefusedException(field, "more than " + policy.maxRedirects() + " redirects");
  }

  private byte[] readLimited(InputStream body, String field) throws IOException {
    long deadline = System.nanoTime() + policy.readTimeout().toNanos();
    byte[] buffer = new byte[64 * 1024];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int n;
    while ((n = body.read(buffer)) >= 0) {
      if (out.size() + (long) n > policy.maxBytes()) {
        throw tooLarge(field, out.size() + (long) n);
      }
      out.write(buffer, 0, n);
      if (System.nanoTime() > deadline) {
        throw new IOException("download took longer than " + policy.readTimeout());
      }
    }
    return out.toByteArray();
  }

  /**
   * Under the internal prefix: same scheme, host and port, no user info, and a path that extends
   * the prefix's path by plain segments. Compared on parsed parts (not the raw string) so that dot
   * segments or encoded slashes cannot climb out of the prefix.
   */
  boolean isInternal(URI uri) {
    if (policy.internalPrefix().isEmpty()) {
      return false;
    }
    URI prefix = URI.create(policy.internalPrefix().get());
    String scheme = uri.getScheme();
    String path = uri.getRawPath();
    if (scheme == null || uri.getHost() == null || uri.getRawUserInfo() != null || path == null
        || !scheme.equalsIgnoreCase(prefix.getScheme())
        || !uri.getHost().equalsIgnoreCase(prefix.getHost())
        || port(uri) != port(prefix)
        || !path.startsWith(prefix.getRawPath())) {
      return false;
    }
    String rest = path.substring(prefix.getRawPath().length());
    return PLAIN_SEGMENTS.matcher(rest).matches()
        && Arrays.stream(rest.split("/")).noneMatch(segment -> segment.equals(".") || segment.equals(".."));
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private void checkHost(URI uri, String field) {
    String host = uri.getHost();
    if (host == null || host.isBlank()) {
      throw new FetchRefusedException(field, "URI has no host");
    }
    if (policy.allowPrivateAddresses()) {
      return;
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new FetchRefusedException(field, "unknown host " + host);
    }
    for (InetAddress address : addresses) {
      if (!isPublic(address)) {
        throw new FetchRefusedException(
            field,
            "host " + host + " resolves to the non-public address " + address.getHostAddress()
                + " (set " + policy.settingsPrefix() + ".allow-private-addresses=true to allow)");
      }
    }
  }

  /** False for loopback, private, link-local (incl. cloud metadata), CGNAT, multicast, reserved. */
  static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int b0 = b[0] & 0xff;
      int b1 = b[1] & 0xff;
      return !(b0 == 0
          || (b0 == 100 && (b1 & 0xc0) == 64) // 100.64.0.0/10 shared (CGNAT)
          || (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0) // 192.0.0.0/24 protocol assignments
          || (b0 == 198 && (b1 == 18 || b1 == 19)) // benchmarking
          || b0 >= 240); // reserved and broadcast
    }
    if (address instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return false; // fc00::/7 unique local (e.g. fd00:ec2::254 metadata)
      }
      boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
      if (nat64) {
        try {
          return isPublic(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          return false;
        }
      }
    }
    return true;
  }

  private FetchedMedia fetchFile(URI uri, String field) {
    if (policy.fileRoot().isEmpty()) {
      throw new FetchRefusedException(
          field, "file: URIs are disabled (set " + policy.settingsPrefix() + ".file-root to allow one folder)");
    }
    try {
      Path root = policy.fileRoot().get().toRealPath();
      Path file = Path.of(uri).toRealPath(); // resolves symlinks and ".." before the check
      if (!file.startsWith(root)) {
        throw new FetchRefusedException(field, "file is outside the allowed root " + root);
      }
      long size = Files.size(file);
      if (size > policy.maxBytes()) {
        throw tooLarge(field, size);
      }
      return new FetchedMedia(Files.readAllBytes(file), null);
    } catch (NoSuchFileException e) {
      throw new FetchRefusedException(field, "no such file " + uri.getPath());
    } catch (IllegalArgumentException e) {
      throw new FetchRefusedException(field, "not a usable file URI: " + e.getMessage());
    } catch (IOException e) {
      throw new FetchFailedException(field + ": reading " + uri.getPath() + " failed: " + e, e);
    }
  }

  private FetchRefusedException tooLarge(String field, long size) {
    return new FetchRefusedException(
        field, "media is " + size + " bytes or more, over the limit of " + policy.maxBytes());
  }
}
