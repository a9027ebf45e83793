package multimodal.media.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;

/**
 * An HTTP(S) server on one loopback address (127.0.0.1, or 127.0.0.2 standing in for a public
 * host), recording every request that reached it and, for HTTPS, the SNI names it was asked for.
 */
final class LoopbackServer implements AutoCloseable {
  /** One request as the server saw it. */
  record Hit(String path, String hostHeader) {}

  private final HttpServer server;
  private final List<Hit> hits = new CopyOnWriteArrayList<>();
  private final List<String> sniNames = new CopyOnWriteArrayList<>();

  private LoopbackServer(HttpServer server) {
    this.server = server;
  }

  /**
   * @param port 0 for any free port
   */
  static LoopbackServer http(String address, int port) throws IOException {
    LoopbackServer loopback =
        new LoopbackServer(
            HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 0));
    loopback.server.start();
    return loopback;
  }

  static LoopbackServer https(String address, int port, SSLContext tls) throws IOException {
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 0);
    LoopbackServer loopback = new LoopbackServer(server);
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters parameters = tls.getDefaultSSLParameters();
            parameters.setSNIMatchers(
                List.of(
                    new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                      @Override
                      public boolean matches(SNIServerName name) {
                        loopback.sniNames.add(new SNIHostName(name.getEncoded()).getAsciiName());
                        return true;
                      }
                    }));
            params.setSSLParameters(parameters);
          }
        });
    server.start();
    return loopback;
  }

  int port() {
    return server.getAddress().getPort();
  }

  List<Hit> hits() {
    return hits;
  }

  List<String> sniNames() {
    return sniNames;
  }

  /** Answers {@code path} with 200 and {@code body} as image/png. */
  LoopbackServer image(String path, byte[] body) {
    server.createContext(
        path,
        exchange ->
            answer(
                exchange,
                () -> {
                  exchange.getResponseHeaders().add("Content-Type", "image/png");
                  exchange.sendResponseHeaders(200, body.length);
                  try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                  }
                }));
    return this;
  }

  /**
   * Answers {@code path} with 200 and {@code size} bytes of a repeating pattern as video/mp4,
   * written as they are made (chunked, no Content-Length, unless {@code declared}): a large body
   * that the server never holds.
   */
  LoopbackServer stream(String path, long size, boolean declared) {
    server.createContext(
        path,
        exchange ->
            answer(
                exchange,
                () -> {
                  exchange.getResponseHeaders().add("Content-Type", "video/mp4");
                  exchange.sendResponseHeaders(200, declared ? size : 0);
                  byte[] chunk = new byte[64 * 1024];
                  for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) i;
                  }
                  try (OutputStream out = exchange.getResponseBody()) {
                    for (long sent = 0; sent < size; sent += chunk.length) {
                      out.write(chunk, 0, (int) Math.min(chunk.length, size - sent));
                    }
                  } catch (IOException e) {
                    // the client stopped reading (over its limit): expected
                  }
                }));
    return this;
  }

  /** Answers {@code path} with 302 to {@code location}. */
  LoopbackServer redirect(String path, String location) {
    server.createContext(
        path,
        exchange ->
            answer(
                exchange,
                () -> {
                  exchange.getResponseHeaders().add("Location", location);
                  exchange.sendResponseHeaders(302, -1);
                }));
    return this;
  }

  private interface Answer {
    void send() throws IOException;
  }

  private void answer(HttpExchange exchange, Answer answer) throws IOException {
    hits.add(
        new Hit(
            exchange.getRequestURI().getRawPath(), exchange.getRequestHeaders().getFirst("Host")));
    try {
      answer.send();
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
