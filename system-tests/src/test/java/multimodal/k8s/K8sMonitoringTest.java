package multimodal.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * k8s/monitoring renders, validates against the vendored prometheus-operator CRDs, scrapes the port
 * the services' pods name for their management interface, and writes every metric selector so that
 * {@link MonitoredMetrics} finds it (PlatformSystemIT then checks each name against /q/metrics).
 */
class K8sMonitoringTest {
  private static final Set<String> SERVICES =
      Set.of("gateway", "encoder-service", "generator-service", "retrieval-service");

  private final RenderedOverlay monitoring = RenderedOverlay.ofKustomization("monitoring");

  @Test
  void everyObjectValidatesByItsSchema() {
    assertThat(monitoring.objects())
        .extracting(o -> o.path("kind").asText())
        .contains("PrometheusRule", "PodMonitor", "ConfigMap");
    assertThat(K8sOverlaysTest.problems(monitoring)).isEmpty();
  }

  @Test
  void aMisspeltFieldOfAMonitoringResourceIsRefused() {
    RenderedOverlay misspelt =
        RenderedOverlay.parse(
            "monitoring", monitoring.yaml().replace("podMetricsEndpoints:", "podMetricEndpoints:"));
    assertThat(K8sOverlaysTest.problems(misspelt)).anyMatch(p -> p.contains("podMetricEndpoints"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"production", "gpu", "local"})
  void theServicesPodMonitorScrapesTheManagementPortThatNoServiceExposes(String overlay) {
    JsonNode podMonitor = monitoring.named("PodMonitor", "multimodal-services");
    JsonNode endpoint = podMonitor.at("/spec/podMetricsEndpoints/0");
    assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
    String port = endpoint.path("port").asText();
    List<String> selected = new ArrayList<>();
    podMonitor
        .at("/spec/selector/matchExpressions/0/values")
        .forEach(v -> selected.add(v.asText()));
    assertThat(selected).containsExactlyInAnyOrderElementsOf(SERVICES);

    RenderedOverlay rendered = RenderedOverlay.of(overlay);
    List<JsonNode> workloads = new ArrayList<>(rendered.ofKind("Deployment"));
    workloads.addAll(rendered.ofKind("StatefulSet"));
    for (String service : SERVICES) {
      JsonNode workload =
          workloads.stream()
              .filter(w -> w.at("/metadata/name").asText().equals(service))
              .findFirst()
              .orElseThrow(() -> new AssertionError(overlay + ": no workload " + service));
      assertThat(workload.at("/spec/template/metadata/labels/app.kubernetes.io~1name").asText())
          .isEqualTo(service);
      JsonNode managementPort = null;
      for (JsonNode containerPort : RenderedOverlay.container(workload).path("ports")) {
        if (containerPort.path("name").asText().equals(port)) {
          managementPort = containerPort;
        }
      }
      assertThat(managementPort).as("%s %s: container port %s", overlay, service, port).isNotNull();
      int number = managementPort.path("containerPort").asInt();
      for (JsonNode serviceObject : rendered.ofKind("Service")) {
        for (JsonNode servicePort : serviceObject.at("/spec/ports")) {
          assertThat(servicePort.path("targetPort").asText())
              .as("%s: Service %s", overlay, serviceObject.at("/metadata/name").asText())
              .isNotEqualTo(port)
              .isNotEqualTo(Integer.toString(number));
        }
      }
    }
  }

  @Test
  void theKafkaExporterThatTheLagPanelsReadIsDeployed() {
    JsonNode kafka = RenderedOverlay.of("production").named("Kafka", "multimodal");
    assertThat(kafka.at("/spec/kafkaExporter").isObject()).isTrue();
    JsonNode exporterMonitor = monitoring.named("PodMonitor", "multimodal-kafka-exporter");
    assertThat(exporterMonitor.at("/spec/selector/matchLabels/strimzi.io~1name").asText())
        .isEqualTo(kafka.at("/metadata/name").asText() + "-kafka-exporter");
  }

  @Test
  void everyExpressionSelectsAMetricAndEveryAlertSaysWhatAndHowBad() {
    List<String> expressions = MonitoredMetrics.expressions();
    assertThat(expressions).hasSizeGreaterThan(10);
    assertThat(expressions)
        .allSatisfy(e -> assertThat(MonitoredMetrics.names(e)).as(e).isNotEmpty());
    for (JsonNode group : monitoring.named("PrometheusRule", "multimodal").at("/spec/groups")) {
      for (JsonNode rule : group.path("rules")) {
        assertThat(rule.at("/labels/severity").asText()).as(rule.toString()).isNotBlank();
        assertThat(rule.at("/annotations/summary").asText()).as(rule.toString()).isNotBlank();
      }
    }
    assertThat(MonitoredMetrics.names())
        .contains(
            "kafka_consumergroup_lag",
            "retrieval_materialiser_lag_records",
            "retrieval_search_seconds_bucket",
            "encoder_batch_size_bucket",
            "encoder_inference_seconds_sum",
            "kafka_producer_record_send_total");
  }

  @Test
  void selectorsAreToldFromFunctionsLabelsAndLabelValues() {
    assertThat(
            MonitoredMetrics.names(
                "histogram_quantile(0.99, sum by (le) (rate(a_seconds_bucket{x=\"y{z}[1m]\"}[5m])))"
                    + " / on (pod) b_total[5m] > bool c{}"))
        .containsExactly("a_seconds_bucket", "b_total", "c");
    assertThat(MonitoredMetrics.names("sum(rate(a_total)) by (pod)")).isEmpty();
  }

  @Test
  void theDashboardConfigMapHoldsTheDashboard() throws IOException {
    JsonNode configMap = monitoring.named("ConfigMap", "multimodal-grafana-dashboard");
    assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    JsonNode dashboard =
        new ObjectMapper().readTree(configMap.at("/data/multimodal-platform.json").asText());
    assertThat(dashboard.path("uid").asText()).isEqualTo("multimodal-platform");
    assertThat(dashboard.path("panels")).hasSizeGreaterThanOrEqualTo(6);
  }
}
