package multimodal.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Kustomize base agrees with each service's own configuration: port, probes, kustomization. */
class K8sManifestsTest {
  private static final Path ROOT =
      Path.of(System.getProperty("platform.root", "..")).toAbsolutePath().normalize();
  private static final Path BASE = ROOT.resolve("k8s/base");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @ParameterizedTest
  @ValueSource(strings = {"encoder-service", "generator-service", "retrieval-service", "gateway"})
  void deploymentMatchesTheServiceConfiguration(String service) throws IOException {
    List<JsonNode> documents = documents(BASE.resolve(service + ".yaml"));
    JsonNode deployment = kind(documents, "Deployment");
    JsonNode serviceResource = kind(documents, "Service");
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    Properties properties = applicationProperties(service);
    int configuredPort = Integer.parseInt(properties.getProperty("quarkus.http.port"));
    int managementPort = Integer.parseInt(properties.getProperty("quarkus.management.port"));

    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(configuredPort);
    assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
    assertThat(envValue(container, "QUARKUS_HTTP_PORT"))
        .isEqualTo(Integer.toString(configuredPort));
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
    assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
    // Health and metrics are on the management interface, which the Service does not expose.
    assertThat(properties.getProperty("quarkus.management.enabled")).isEqualTo("true");
    assertThat(container.at("/ports/1/containerPort").asInt()).isEqualTo(managementPort);
    assertThat(container.at("/ports/1/name").asText()).isEqualTo("management");
    assertThat(envValue(container, "QUARKUS_MANAGEMENT_PORT"))
        .isEqualTo(Integer.toString(managementPort));
    for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
      assertThat(container.at("/" + probe + "/httpGet/port").asText())
          .as(probe)
          .isEqualTo("management");
    }
    assertThat(deployment.at("/spec/template/metadata/annotations/prometheus.io~1port").asText())
        .isEqualTo(Integer.toString(managementPort));
    assertThat(serviceResource.at("/spec/ports/0/port").asInt()).isEqualTo(configuredPort);
    assertThat(serviceResource.at("/spec/ports")).hasSize(1);
    assertThat(serviceResource.at("/spec/selector"))
        .isEqualTo(deployment.at("/spec/selector/matchLabels"));
    assertThat(container.at("/resources/requests/memory").isMissingNode()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"encoder-service", "generator-service", "retrieval-service", "gateway"})
  void kustomizationListsEveryService(String service) throws IOException {
    JsonNode kustomization = documents(BASE.resolve("kustomization.yaml")).get(0);
    List<String> resources = new ArrayList<>();
    kustomization.get("resources").forEach(r -> resources.add(r.asText()));
    assertThat(resources).contains(service + ".yaml");
    for (String resource : resources) {
      assertThat(BASE.resolve(resource)).exists();
    }
  }

  private static String envValue(JsonNode container, String name) {
    for (JsonNode env : container.path("env")) {
      if (env.path("name").asText().equals(name)) {
        return env.path("value").asText();
      }
    }
    return null;
  }

  private static JsonNode kind(List<JsonNode> documents, String kind) {
    return documents.stream()
        .filter(d -> kind.equals(d.path("kind").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind));
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    ObjectReader reader = YAML.readerFor(JsonNode.class);
    try (var iterator = reader.<JsonNode>readValues(file.toFile())) {
      while (iterator.hasNext()) {
        documents.add(iterator.next());
      }
    }
    return documents;
  }

  private static Properties applicationProperties(String service) throws IOException {
    Properties properties = new Properties();
    try (Reader in =
        Files.newBufferedReader(
            ROOT.resolve(service).resolve("src/main/resources/application.properties"))) {
      properties.load(in);
    }
    return properties;
  }
}
