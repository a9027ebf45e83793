package multimodal.systemtest.hostile;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on 127.0.0.1 standing for whatever sits inside the cluster (a metadata endpoint,
 * an admin port). It serves an image and a redirect to the cloud metadata address, and counts every
 * request: the fetchers must refuse its address, so in the SSRF cases the count stays where it was.
 */
final class LoopbackServer implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  private LoopbackServer(HttpServer server) {
    this.server = server;
  }

  static LoopbackServer start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    LoopbackServer loopback = new LoopbackServer(server);
    byte[] image = Images.distinctPng();
    server.createContext(
        "/",
        exchange -> {
          loopback.requests.incrementAndGet();
          if (exchange.getRequestURI().getPath().startsWith("/redirect")) {
            exchange
                .getResponseHeaders()
                .add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
          } else {
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, image.length);
            exchange.getResponseBody().write(image);
          }
          exchange.close();
        });
    server.start();
    return loopback;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** A URL of this server under another spelling of its host (a name, an IPv6 form, a number). */
  String url(String host, String path) {
    return "http://" + host + ":" + port() + path;
  }

  int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
