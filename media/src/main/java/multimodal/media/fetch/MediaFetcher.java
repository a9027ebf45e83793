package multimodal.media.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Fetches the bytes of a media URI ({@code data.uri} of an ingest event, or a gRPC ImageSource
 * uri): {@code http}/{@code https} with connect and read timeouts, a size limit and an SSRF guard,
 * or {@code file:} under the one configured root.
 *
 * <p>SSRF guard: each hop's host is resolved once, every address is checked ({@link
 * AddressClassifier}: public unicast only, unless private addresses are allowed), and the
 * connection goes to those checked addresses and nowhere else ({@link PinnedHttpClient}), so a
 * resolver that answers differently the second time (DNS rebinding) is never asked a second time.
 * Hosts that are numbers in a non-standard form ({@code 2130706433}, {@code 0x7f.1}) are refused
 * ({@link NumericHosts}). Redirects are followed by this class, at most {@code maxRedirects}, each
 * hop resolved, checked and pinned the same way.
 *
 * <p>Claim-check blobs: a URI under the policy's internal prefix (the gateway's {@code
 * /internal/blobs/}) may be on a private address, but only while every hop stayed under it (a
 * redirect from outside cannot reach it). It is fetched as given, with no credential: the gateway
 * signed it for one tenant and one blob, so a URI a producer or caller wrote reads nothing.
 */
public final class MediaFetcher {
  /** Unreserved characters only: no encoded '/', '.' or '\\' can hide in an internal blob path. */
  private static final Pattern PLAIN_SEGMENTS =
      Pattern.compile("[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*");

  private final FetchPolicy policy;
  private final HostResolver resolver;
  private final Function<InetAddress, Optional<String>> addressRule;
  private final PinnedHttpClient http;

  public MediaFetcher(FetchPolicy policy) {
    this(policy, HostResolver.SYSTEM, AddressClassifier::refusal, new OkHttpClient());
  }

  /**
   * @param resolver asked once per hop (tests play a rebinding resolver with it)
   * @param addressRule empty when an address may be reached, else why not (tests stand a loopback
   *     address in for a public one with it)
   * @param base the HTTP client's TLS settings (tests trust their own certificate here)
   */
  MediaFetcher(
      FetchPolicy policy,
      HostResolver resolver,
      Function<InetAddress, Optional<String>> addressRule,
      OkHttpClient base) {
    this.policy = policy;
    this.resolver = resolver;
    this.addressRule = addressRule;
    this.http = new PinnedHttpClient(base, policy);
  }

  /** The fetched bytes and the content type the server declared (null for files). */
  public record FetchedMedia(byte[] bytes, String contentType) {}

  /**
   * A body written to a file instead of the heap: its size and the content type the server declared
   * (null for files).
   */
  public record FetchedFile(Path file, long size, String contentType) {}

  /** The policy this fetcher applies. */
  public FetchPolicy policy() {
    return policy;
  }

  /**
   * The same fetcher (resolver, address rule, TLS) with another byte limit: large audio and video
   * are fetched to a file under their own limit, images into memory under theirs.
   */
  public MediaFetcher withMaxBytes(long maxBytes) {
    return new MediaFetcher(policy.withMaxBytes(maxBytes), resolver, addressRule, http);
  }

  private MediaFetcher(
      FetchPolicy policy,
      HostResolver resolver,
      Function<InetAddress, Optional<String>> addressRule,
      PinnedHttpClient http) {
    this.policy = policy;
    this.resolver = resolver;
    this.addressRule = addressRule;
    this.http = http;
  }

  /**
   * Where a body goes while it is read: memory ({@link #fetch}) or a file ({@link #fetchToFile}).
   */
  private interface BodySink<R> {
    OutputStream open() throws IOException;

    R result(long size, String contentType) throws IOException;
  }

  /**
   * @param field names the item in errors, e.g. {@code data.uri}
   * @throws FetchRefusedException for a URI that can never be fetched (bad scheme, forbidden
   *     address, HTTP 4xx, too large)
   * @throws FetchFailedException for a failure that may pass
   */
  public FetchedMedia fetch(String uri, String field) {
    ByteArrayOutputStream memory = new ByteArrayOutputStream();
    return fetch(
        uri,
        field,
        new BodySink<>() {
          @Override
          public OutputStream open() {
            memory.reset();
            return memory;
          }

          @Override
          public FetchedMedia result(long size, String contentType) {
            return new FetchedMedia(memory.toByteArray(), contentType);
          }
        });
  }

  /**
   * As {@link #fetch}, streaming the body into {@code target} (created or replaced) under the same
   * limits: size (refused as soon as more arrives), time, SSRF guard, redirects.
   */
  public FetchedFile fetchToFile(String uri, String field, Path target) {
    return fetch(
        uri,
        field,
        new BodySink<>() {
          @Override
          public OutputStream open() throws IOException {
            return Files.newOutputStream(target);
          }

          @Override
          public FetchedFile result(long size, String contentType) {
            return new FetchedFile(target, size, contentType);
          }
        });
  }

  private <R> R fetch(String uri, String field, BodySink<R> sink) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw new FetchRefusedException(field, "not a valid URI: " + e.getMessage());
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "http", "https" -> fetchHttp(parsed, field, sink);
      case "file" -> fetchFile(parsed, field, sink);
      default ->
          throw new FetchRefusedException(
              field,
              "unsupported URI scheme '"
                  + scheme
                  + "' (http, https, or file under the configured root)");
    };
  }

  private <R> R fetchHttp(URI uri, String field, BodySink<R> sink) {
    // From here on OkHttp's parse is the one used: the host checked is the host connected to.
    HttpUrl current = HttpUrl.parse(uri.toString());
    if (current == null) {
      throw new FetchRefusedException(field, "not a valid http(s) URL");
    }
    // Internal only while every hop so far stayed under the prefix, as written and as parsed.
    boolean internal = isInternal(uri) && isInternal(current);
    for (int hop = 0; hop <= policy.maxRedirects(); hop++) {
      internal = internal && isInternal(current);
      List<InetAddress> addresses = resolveAndCheck(current.host(), !internal, field);
      Request.Builder request = new Request.Builder().url(current).header("Accept", "image/*");
      try (Response response = http.newCall(request.build(), addresses).execute()) {
        int status = response.code();
        if (status >= 300 && status < 400 && response.header("Location") != null) {
          // null for a location that is not an http(s) URL (file:, ftp:, garbage)
          HttpUrl next = current.resolve(response.header("Location"));
          if (next == null) {
            throw new FetchRefusedException(
                field, "redirect to an invalid location from " + current.host());
          }
          current = next;
          continue;
        }
        if (status >= 500) {
          throw new FetchFailedException(
              field + ": HTTP " + status + " from " + current.host(), null);
        }
        if (status != 200) {
          throw new FetchRefusedException(field, "HTTP " + status + " from " + current.host());
        }
        ResponseBody body = response.body();
        long declared = body.contentLength();
        if (declared > policy.maxBytes()) {
          throw tooLarge(field, declared);
        }
        try (InputStream in = body.byteStream();
            OutputStream out = sink.open()) {
          return sink.result(copyLimited(in, out, field), response.header("Content-Type"));
        }
      } catch (IOException e) {
        throw new FetchFailedException(
            field + ": fetching from " + current.host() + " failed: " + e, e);
      }
    }
    throw new FetchRefusedException(field, "more than " + policy.maxRedirects() + " redirects");
  }

  /** Copies the body, refusing it as soon as it passes the limit; returns the bytes copied. */
  private long copyLimited(InputStream body, OutputStream out, String field) throws IOException {
    long deadline = System.nanoTime() + policy.readTimeout().toNanos();
    byte[] buffer = new byte[64 * 1024];
    long size = 0;
    int n;
    while ((n = body.read(buffer)) >= 0) {
      if (size + n > policy.maxBytes()) {
        throw tooLarge(field, size + n);
      }
      out.write(buffer, 0, n);
      size += n;
      if (System.nanoTime() > deadline) {
        throw new IOException("download took longer than " + policy.readTimeout());
      }
    }
    return size;
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
    if (scheme == null
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || path == null
        || !scheme.equalsIgnoreCase(prefix.getScheme())
        || !uri.getHost().equalsIgnoreCase(prefix.getHost())
        || port(uri) != port(prefix)
        || !path.startsWith(prefix.getRawPath())) {
      return false;
    }
    String rest = path.substring(prefix.getRawPath().length());
    return PLAIN_SEGMENTS.matcher(rest).matches()
        && Arrays.stream(rest.split("/"))
            .noneMatch(segment -> segment.equals(".") || segment.equals(".."));
  }

  /** As parsed by OkHttp; a URL that java.net.URI cannot hold is not internal. */
  private boolean isInternal(HttpUrl url) {
    try {
      return isInternal(url.uri());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /**
   * The one lookup of a hop: the addresses the connection may use. With {@code check}, every
   * address must pass the address rule (one bad answer refuses the host: a name that mixes public
   * and private answers is not one to trust), unless the policy allows private addresses.
   */
  private List<InetAddress> resolveAndCheck(String host, boolean check, String field) {
    if (host == null || host.isBlank()) {
      throw new FetchRefusedException(field, "URI has no host");
    }
    Optional<String> numeric = NumericHosts.refusal(host);
    if (numeric.isPresent()) {
      throw new FetchRefusedException(field, numeric.get());
    }
    List<InetAddress> addresses;
    try {
      // A literal is parsed, not looked up; OkHttp connects to a literal host the same way.
      addresses =
          NumericHosts.isLiteral(host)
              ? List.of(InetAddress.getByName(host))
              : resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new FetchRefusedException(field, "unknown host " + host);
    }
    if (addresses == null || addresses.isEmpty()) {
      throw new FetchRefusedException(field, "unknown host " + host);
    }
    if (!check || policy.allowPrivateAddresses()) {
      return addresses;
    }
    for (InetAddress address : addresses) {
      Optional<String> refusal = addressRule.apply(address);
      if (refusal.isPresent()) {
        throw new FetchRefusedException(
            field,
            "host "
                + host
                + " resolves to the non-public address "
                + address.getHostAddress()
                + ", "
                + refusal.get()
                + " (set "
                + policy.settingsPrefix()
                + ".allow-private-addresses=true to allow)");
      }
    }
    return addresses;
  }

  private <R> R fetchFile(URI uri, String field, BodySink<R> sink) {
    if (policy.fileRoot().isEmpty()) {
      throw new FetchRefusedException(
          field,
          "file: URIs are disabled (set "
              + policy.settingsPrefix()
              + ".file-root to allow one folder)");
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
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = sink.open()) {
        return sink.result(copyLimited(in, out, field), null);
      }
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
