import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * The service images' HEALTHCHECK: GETs /q/health/live on the service's management interface and
 * exits 0 on a 200, else 1. A Java class because the images have neither a shell nor curl. The port
 * is QUARKUS_MANAGEMENT_PORT (the images set it; Kubernetes manifests may too), the host
 * QUARKUS_MANAGEMENT_HOST unless that means every interface.
 */
public final class HttpHealthCheck {
  private static final Set<String> EVERY_INTERFACE = Set.of("", "0.0.0.0", "::", "[::]");

  private HttpHealthCheck() {}

  public static void main(String[] args) {
    String port = System.getenv().getOrDefault("QUARKUS_MANAGEMENT_PORT", "9000").trim();
    String host = System.getenv().getOrDefault("QUARKUS_MANAGEMENT_HOST", "").trim();
    if (EVERY_INTERFACE.contains(host)) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    URI uri = URI.create("http://" + host + ":" + port + "/q/health/live");
    try {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(4)).GET().build();
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      System.out.println(uri + " -> " + status);
      System.exit(status == 200 ? 0 : 1);
    } catch (Exception e) {
      System.err.println(uri + " -> " + e);
      System.exit(1);
    }
  }
}
