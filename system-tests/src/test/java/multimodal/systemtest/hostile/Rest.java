package multimodal.systemtest.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import multimodal.systemtest.PlatformClient;

/**
 * The gateway's REST API as one tenant's key sees it, with room for the headers an attacker adds.
 */
final class Rest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final String baseUrl;
  private final String apiKey;

  Rest(String baseUrl, String apiKey) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
  }

  HttpResponse<String> get(String path, String... headers)
      throws IOException, InterruptedException {
    return HTTP.send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
    return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> delete(String path) throws IOException, InterruptedException {
    return HTTP.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
    return HTTP.send(
        request(path, "Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, Form form, String... headers)
      throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of(headers));
    all.add("Content-Type");
    all.add(form.contentType());
    return HTTP.send(
        request(path, all.toArray(String[]::new))
            .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The gateway's whole answer (status line, headers, body) to the headers of an upload that
   * declares {@code declaredBytes} of body, of which none is sent: what a server that judges the
   * declared length answers before reading any of it. (Sending the body too makes the test a race
   * between the client still writing and the server's 413-and-close.)
   */
  String answerToUploadHeadersAlone(long declaredBytes) throws IOException {
    URI uri = URI.create(baseUrl);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      String head =
          "POST /v1/media HTTP/1.1\r\n"
              + ("Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n")
              + (apiKey == null ? "" : "X-API-Key: " + apiKey + "\r\n")
              + "Content-Type: multipart/form-data; boundary=b\r\n"
              + ("Content-Length: " + declaredBytes + "\r\n")
              + "\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      // The gateway closes the connection after its answer (the body was never read).
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** POST /v1/media with a multipart form. */
  HttpResponse<String> upload(Form form, String... headers)
      throws IOException, InterruptedException {
    return post("/v1/media", form, headers);
  }

  /**
   * The media ids of a text search (safe search off, so that nothing is hidden for another reason).
   */
  List<String> searchIds(String query, String... headers) throws IOException, InterruptedException {
    HttpResponse<String> response =
        get(
            "/v1/search?k=100&safe=false&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8),
            headers);
    if (response.statusCode() != 200) {
      throw new AssertionError("search answered " + response.statusCode() + ": " + response.body());
    }
    JsonNode hits = PlatformClient.JSON.readTree(response.body()).path("hits");
    return hits.findValuesAsText("mediaId");
  }

  /**
   * True once the item has an embedding: the encoder processed it (not only that the index saw its
   * event).
   */
  boolean embedded(String mediaId) throws IOException, InterruptedException {
    HttpResponse<String> status = get("/v1/media/" + mediaId);
    return status.statusCode() == 200 && json(status).path("embeddedBy").size() > 0;
  }

  private HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT);
    if (apiKey != null) {
      builder.header("X-API-Key", apiKey);
    }
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return builder;
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return PlatformClient.JSON.readTree(response.body());
  }
}
