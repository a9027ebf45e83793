package multimodal.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import multimodal.k8s.MonitoredMetrics;

/**
 * The dashboards and alerts of k8s/monitoring read only metrics that exist: each name they select
 * is in the /q/metrics of a running service (scraped on its management port, as the PodMonitors
 * scrape them), or is listed in {@link MonitoredMetrics#EXTERNAL} with the exporter that provides
 * it.
 */
final class MetricsChecks {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private MetricsChecks() {}

  static void everyMonitoredMetricIsExported(RunningPlatform platform, Path logs) throws Exception {
    Set<String> exported = new TreeSet<>();
    Files.createDirectories(logs.resolve("metrics"));
    for (String module : platform.modules()) {
      HttpResponse<String> scrape =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:" + platform.managementPort(module) + "/q/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(scrape.statusCode()).as(module).isEqualTo(200);
      // Kept beside the service logs: what each service exported when the check ran.
      Files.writeString(logs.resolve("metrics").resolve(module + ".prom"), scrape.body());
      scrape
          .body()
          .lines()
          .filter(l -> !l.startsWith("#") && !l.isBlank())
          .forEach(line -> exported.add(line.split("[{ ]", 2)[0]));
    }
    Set<String> missing = new TreeSet<>(MonitoredMetrics.names());
    assertThat(missing).as("metric names in k8s/monitoring").isNotEmpty();
    missing.removeAll(MonitoredMetrics.EXTERNAL.keySet());
    missing.removeAll(exported);
    assertThat(missing).as("read by k8s/monitoring, exported by no service").isEmpty();
  }
}
