package multimodal.generator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the gateway's claim-check endpoint on 127.0.0.1: {@code GET
 * /internal/blobs/<name>} serves a blob only with the query {@value #SIGNATURE} (the gateway's
 * signed URL) and answers 404 otherwise, and 400 to a request carrying an Authorization header (a
 * worker sends no credential); {@code /public/<name>} serves the same blobs unsigned. Points {@code
 * generator.fetch.internal-prefix} at it (private addresses stay refused).
 */
public class BlobServerResource implements QuarkusTestResourceLifecycleManager {
  public static final String SIGNATURE = "tenant=acme&expires=4102444800&sig=test-signature";
  private static final Map<String, byte[]> BLOBS = new ConcurrentHashMap<>();
  private static final Map<String, Path> FILES = new ConcurrentHashMap<>();
  private static final Map<String, Long> DECLARED = new ConcurrentHashMap<>();
  private static volatile String base;
  private HttpServer server;

  /** Stores a blob; returns its claim-check URI, signed as the gateway would issue it. */
  public static String put(String name, byte[] bytes) {
    BLOBS.put(name, bytes);
    return base + "/internal/blobs/" + name + "?" + SIGNATURE;
  }

  /**
   * Serves a file as a blob, streamed from disk (a large video the test never holds); returns its
   * signed claim-check URI.
   */
  public static String putFile(String name, Path file) {
    FILES.put(name, file);
    return base + "/internal/blobs/" + name + "?" + SIGNATURE;
  }

  /**
   * A blob that declares {@code size} bytes and streams zeros until the reader stops: what a fetch
   * over its limit meets, without the test making that much.
   */
  public static String putDeclaring(String name, long size) {
    DECLARED.put(name, size);
    return base + "/internal/blobs/" + name + "?" + SIGNATURE;
  }

  /** The same blob's URL outside the internal prefix (a private address, so refused). */
  public static String publicUri(String name) {
    return base + "/public/" + name;
  }

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", BlobServerResource::handle);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    return Map.of("generator.fetch.internal-prefix", base + "/internal/blobs/");
  }

  private static void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      boolean internal = path.startsWith("/internal/blobs/");
      if (exchange.getRequestHeaders().containsKey("Authorization")) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      if (internal && !SIGNATURE.equals(exchange.getRequestURI().getRawQuery())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String name = path.substring(path.lastIndexOf('/') + 1);
      if (internal && FILES.containsKey(name)) {
        exchange.sendResponseHeaders(200, Files.size(FILES.get(name)));
        try (OutputStream out = exchange.getResponseBody()) {
          Files.copy(FILES.get(name), out);
        }
        return;
      }
      if (internal && DECLARED.containsKey(name)) {
        exchange.sendResponseHeaders(200, DECLARED.get(name));
        try (OutputStream out = exchange.getResponseBody()) {
          byte[] zeros = new byte[64 * 1024];
          for (long sent = 0; sent < DECLARED.get(name); sent += zeros.length) {
            out.write(zeros, 0, (int) Math.min(zeros.length, DECLARED.get(name) - sent));
          }
        } catch (IOException e) {
          // the reader refused the declared length and went away: expected
        }
        return;
      }
      byte[] blob = BLOBS.get(name);
      if (blob == null || !(internal || path.startsWith("/public/"))) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().add("Content-Type", "image/png");
      exchange.sendResponseHeaders(200, blob.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(blob);
      }
    } finally {
      exchange.close();
    }
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
