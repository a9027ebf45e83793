package multimodal.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PromQL expressions of k8s/monitoring (the PrometheusRule's alerts and records, the Grafana
 * dashboards' panels) and the metric names they select. A selector is a name followed by its label
 * matchers or range ({@code name{...}}, {@code name[5m]}): the files write every selector so, which
 * tells a metric from a function ({@code rate(}) or a label ({@code by (le)}) without a PromQL
 * parser. An expression with no such selector is reported, so a bare name cannot slip past.
 */
public final class MonitoredMetrics {
  /**
   * Metrics the dashboards and alerts read that no service of the platform exports, each with the
   * exporter that does. Everything else must appear in a service's /q/metrics.
   */
  public static final Map<String, String> EXTERNAL =
      Map.of(
          "kafka_consumergroup_lag",
          "Strimzi's Kafka Exporter (Kafka spec.kafkaExporter in"
              + " k8s/overlays/production/kafka.yaml)");

  public static final Path MONITORING =
      Path.of(System.getProperty("platform.root", ".."))
          .toAbsolutePath()
          .normalize()
          .resolve("k8s/monitoring");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SELECTOR =
      Pattern.compile("(?<![A-Za-z0-9_:\"'])([A-Za-z_:][A-Za-z0-9_:]*)\\s*[\\{\\[]");

  private MonitoredMetrics() {}

  /** Every expression: the rules' {@code expr}, then the dashboards' targets' {@code expr}. */
  public static List<String> expressions() {
    List<String> expressions = new ArrayList<>();
    try {
      for (JsonNode document :
          YAML.readerFor(JsonNode.class)
              .<JsonNode>readValues(MONITORING.resolve("prometheus-rules.yaml").toFile())
              .readAll()) {
        for (JsonNode group : document.at("/spec/groups")) {
          for (JsonNode rule : group.path("rules")) {
            expressions.add(rule.path("expr").asText());
          }
        }
      }
      try (Stream<Path> dashboards = Files.list(MONITORING.resolve("dashboards"))) {
        for (Path dashboard : dashboards.filter(f -> f.toString().endsWith(".json")).toList()) {
          for (JsonNode target : JSON.readTree(dashboard.toFile()).findValues("targets")) {
            for (JsonNode query : target) {
              expressions.add(query.path("expr").asText());
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return expressions;
  }

  /** The metric names one expression selects. */
  public static Set<String> names(String expression) {
    // Label values ("...") may hold braces: drop them first.
    Matcher matcher = SELECTOR.matcher(expression.replaceAll("\"[^\"]*\"", "\"\""));
    Set<String> names = new TreeSet<>();
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  /** Every metric name of every expression. */
  public static Set<String> names() {
    Set<String> names = new TreeSet<>();
    expressions().forEach(e -> names.addAll(names(e)));
    return names;
  }
}
