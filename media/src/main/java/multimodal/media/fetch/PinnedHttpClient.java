package multimodal.media.fetch;

import java.net.InetAddress;
import java.net.Proxy;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The fetcher's HTTP client: each call connects only to the addresses handed in with it, while the
 * URL's host stays the Host header, the TLS SNI name and the name the certificate is verified
 * against.
 *
 * <p>OkHttp rather than java.net.http.HttpClient or HttpURLConnection: those always resolve the
 * host themselves, so the address checked and the address connected to could differ (DNS
 * rebinding); OkHttp's {@link okhttp3.Dns} hook hands the connection the checked addresses and
 * keeps name-based TLS. Its read timeout applies to every read, so a server that stalls mid-body is
 * bounded too.
 *
 * <p>No proxy (a proxy resolves the name itself, which would undo the pinning), no redirects
 * followed (the fetcher checks each hop), and no idle connection kept (a pooled connection would
 * carry a hop's addresses into a later request).
 */
final class PinnedHttpClient {
  private final OkHttpClient base;

  /**
   * @param base TLS settings and the like (tests trust their own certificate authority here)
   */
  PinnedHttpClient(OkHttpClient base, FetchPolicy policy) {
    this.base =
        base.newBuilder()
            .proxy(Proxy.NO_PROXY)
            .followRedirects(false)
            .followSslRedirects(false)
            .retryOnConnectionFailure(false) // the services have their own retry policies
            .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
            .connectTimeout(policy.connectTimeout())
            .readTimeout(policy.readTimeout())
            .build();
  }

  /** A call that connects to one of {@code addresses} and nowhere else. */
  Call newCall(Request request, List<InetAddress> addresses) {
    return base.newBuilder()
        .dns(new PinnedDns(request.url().host(), addresses))
        .build()
        .newCall(request);
  }
}
