package multimodal.devkit.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A model hub mirror on 127.0.0.1 for tests: serves published model directories in the Hugging Face
 * URL layout {@code /<repo>/resolve/<revision>/<path>} (what {@code scripts/fetch-models.sh}
 * downloads from) and writes the matching manifest lines with the files' real SHA-256s. A published
 * file can be replaced afterwards to play a corrupted or changed upstream file.
 */
public final class HubMirror implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  private HubMirror(HttpServer server) {
    this.server = server;
  }

  /** Starts the mirror on an ephemeral port of the loopback address. */
  public static HubMirror start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      HubMirror mirror = new HubMirror(server);
      server.createContext("/", mirror::serve);
      server.start();
      return mirror;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the hub mirror", e);
    }
  }

  /** The base URL to give fetch-models.sh as MODELS_BASE_URL. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Publishes every file under {@code modelDir} as {@code repo} at {@code revision} and returns the
   * manifest lines (model dir name, repo, revision, path, SHA-256, size) that pin them.
   */
  public List<String> publish(String localName, String repo, String revision, Path modelDir) {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(modelDir)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        String path = modelDir.relativize(file).toString().replace('\\', '/');
        byte[] bytes = Files.readAllBytes(file);
        files.put(key(repo, revision, path), bytes);
        lines.add(
            String.join(
                " ",
                localName,
                repo,
                revision,
                path,
                sha256(bytes),
                Integer.toString(bytes.length)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + modelDir, e);
    }
    return lines;
  }

  /** Serves {@code bytes} from now on for one published file (e.g. a corrupted download). */
  public void replace(String repo, String revision, String path, byte[] bytes) {
    if (files.replace(key(repo, revision, path), bytes) == null) {
      throw new IllegalArgumentException("not published: " + key(repo, revision, path));
    }
  }

  /** Request paths served so far, in order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static String key(String repo, String revision, String path) {
    return "/" + repo + "/resolve/" + revision + "/" + path;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path =
          URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
      requests.add(path);
      byte[] body = "GET".equals(exchange.getRequestMethod()) ? files.get(path) : null;
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
