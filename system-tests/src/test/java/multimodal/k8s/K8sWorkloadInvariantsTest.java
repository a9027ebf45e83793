package multimodal.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cluster overlays' workloads: hardened and bounded, GPUs only where ONNX Runtime uses them,
 * and NetworkPolicies that admit exactly the callers the services' own gRPC client settings name.
 */
class K8sWorkloadInvariantsTest {
  /** QUARKUS_GRPC_CLIENTS_<NAME>_HOST: the Service a Deployment calls over gRPC. */
  private static final Pattern GRPC_CLIENT_HOST =
      Pattern.compile("QUARKUS_GRPC_CLIENTS_[A-Z0-9_]+_HOST");

  private static final Pattern ORT_PROVIDER = Pattern.compile("[A-Z]+_ORT_EXECUTION_PROVIDER");
  private static final String MONITORING = "monitoring";

  @ParameterizedTest
  @ValueSource(strings = {"production", "gpu"})
  void everyWorkloadHasProbesBoundsAndARestrictedSecurityContext(String overlay) {
    for (JsonNode deployment : RenderedOverlay.of(overlay).workloads()) {
      String name = deployment.at("/metadata/name").asText();
      JsonNode pod = deployment.at("/spec/template/spec");
      JsonNode container = RenderedOverlay.container(deployment);
      for (String probe : new String[] {"startupProbe", "readinessProbe", "livenessProbe"}) {
        assertThat(container.has(probe)).as(name + " " + probe).isTrue();
      }
      assertThat(container.at("/resources/requests/cpu").isMissingNode())
          .as(name + " cpu request")
          .isFalse();
      assertThat(container.at("/resources/requests/memory").isMissingNode())
          .as(name + " memory request")
          .isFalse();
      assertThat(container.at("/resources/limits/memory").isMissingNode())
          .as(name + " memory limit")
          .isFalse();
      assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean())
          .as(name + " runAsNonRoot")
          .isTrue();
      assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean())
          .as(name + " read-only root")
          .isTrue();
      assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true))
          .as(name + " escalation")
          .isFalse();
      assertThat(container.at("/securityContext/capabilities/drop").toString())
          .as(name + " capabilities")
          .isEqualTo("[\"ALL\"]");
      assertThat(emptyDirMountedAt(pod, container, "/tmp")).as(name + " writable /tmp").isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "production", "gpu"})
  void aGpuIsRequestedExactlyWhereOnnxRuntimeRunsOnCuda(String overlay) {
    for (JsonNode deployment : RenderedOverlay.of(overlay).workloads()) {
      JsonNode container = RenderedOverlay.container(deployment);
      boolean requestsGpu =
          !container.at("/resources/limits/nvidia.com~1gpu").isMissingNode()
              || !container.at("/resources/requests/nvidia.com~1gpu").isMissingNode();
      boolean usesCuda = false;
      for (JsonNode env : container.path("env")) {
        usesCuda |=
            ORT_PROVIDER.matcher(env.path("name").asText()).matches()
                && env.path("value").asText().equals("cuda");
      }
      assertThat(requestsGpu)
          .as(overlay + " " + deployment.at("/metadata/name").asText())
          .isEqualTo(usesCuda);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"encoder-service", "generator-service"})
  void theGpuOverlayRunsTheOnnxRuntimeServicesOnGpuNodesWithTheCudaImage(String service) {
    JsonNode worker = RenderedOverlay.of("gpu").named("Deployment", service);
    JsonNode container = RenderedOverlay.container(worker);
    assertThat(container.at("/resources/limits/nvidia.com~1gpu").asInt()).isEqualTo(1);
    assertThat(worker.at("/spec/template/spec/tolerations").toString()).contains("nvidia.com/gpu");
    assertThat(worker.at("/spec/template/spec/affinity/nodeAffinity").toString())
        .contains("nvidia.com/gpu.present");
    assertThat(container.path("image").asText()).endsWith("-cuda12");
  }

  @Test
  void aWorkersServicePortAdmitsExactlyTheDeploymentsThatCallIt() {
    RenderedOverlay production = RenderedOverlay.of("production");
    Map<String, Set<String>> callers = grpcCallers(production);
    for (JsonNode service : production.ofKind("Service")) {
      String name = service.at("/metadata/name").asText();
      if (service.at("/spec/clusterIP").asText().equals("None")) {
        continue; // a headless Service only names pods; their policy is their main Service's
      }
      JsonNode policy = production.named("NetworkPolicy", name);
      assertThat(policy.at("/spec/podSelector/matchLabels"))
          .isEqualTo(service.at("/spec/selector"));
      Set<String> admitted = admittedPods(policy, "http");
      if (name.equals("gateway")) {
        assertThat(admitted).as("the gateway is the public door").containsExactly("*");
      } else {
        assertThat(admitted).as(name).isEqualTo(callers.getOrDefault(name, Set.of()));
      }
    }
  }

  @Test
  void managementPortsAreReachableOnlyFromTheMonitoringNamespace() {
    RenderedOverlay production = RenderedOverlay.of("production");
    for (JsonNode deployment : production.workloads()) {
      String name = deployment.at("/metadata/name").asText();
      int port = 0;
      for (JsonNode p : RenderedOverlay.container(deployment).path("ports")) {
        if (p.path("name").asText().equals("management")) {
          port = p.path("containerPort").asInt();
        }
      }
      assertThat(port).as(name + " management port").isBetween(9000, 9004);
      JsonNode policy = production.named("NetworkPolicy", name);
      assertThat(admittedNamespaces(policy, "management")).as(name).containsExactly(MONITORING);
      assertThat(admittedPods(policy, "management")).as(name).isEmpty();
    }
    JsonNode deny = production.named("NetworkPolicy", "multimodal-default-deny");
    assertThat(deny.at("/spec/ingress").isMissingNode() || deny.at("/spec/ingress").isEmpty())
        .isTrue();
    assertThat(deny.at("/spec/podSelector/matchLabels/app.kubernetes.io~1part-of").asText())
        .isEqualTo("multimodal");
  }

  @Test
  void kafkasOnlyListenerAuthenticatesAndAdmitsTheServicesKedaAndNamedProducers() {
    RenderedOverlay production = RenderedOverlay.of("production");
    Set<String> kafkaClients = new TreeSet<>();
    for (JsonNode deployment : production.workloads()) {
      // Every service takes its Kafka settings from the platform-config ConfigMap.
      if (RenderedOverlay.container(deployment)
          .path("envFrom")
          .toString()
          .contains("platform-config")) {
        kafkaClients.add(deployment.at("/metadata/name").asText());
      }
    }
    assertThat(kafkaClients)
        .containsExactlyInAnyOrder(
            "gateway", "encoder-service", "generator-service", "retrieval-service");
    JsonNode listeners = production.named("Kafka", "multimodal").at("/spec/kafka/listeners");
    assertThat(listeners).hasSize(1);
    for (JsonNode listener : listeners) {
      assertThat(listener.at("/authentication/type").asText())
          .as(listener.path("name").asText())
          .isEqualTo("scram-sha-512");
      assertThat(listener.path("tls").asBoolean()).isTrue();
      Set<String> pods = new TreeSet<>();
      Set<String> namespaces = new TreeSet<>();
      Set<String> labels = new TreeSet<>();
      for (JsonNode peer : listener.path("networkPolicyPeers")) {
        peer.at("/podSelector/matchExpressions/0/values").forEach(v -> pods.add(v.asText()));
        peer.at("/podSelector/matchLabels")
            .fields()
            .forEachRemaining(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
        peer.at("/namespaceSelector/matchLabels").forEach(v -> namespaces.add(v.asText()));
      }
      assertThat(pods).isEqualTo(kafkaClients);
      assertThat(namespaces).containsExactly("keda");
      assertThat(labels).containsExactly("multimodal.dev/kafka-producer=true");
    }
    assertThat(production.named("Kafka", "multimodal").at("/spec/kafka/authorization").toString())
        .doesNotContain("superUsers");
  }

  /** Service name → the Deployments whose gRPC client settings name it as host. */
  private static Map<String, Set<String>> grpcCallers(RenderedOverlay overlay) {
    Map<String, Set<String>> callers = new TreeMap<>();
    for (JsonNode deployment : overlay.workloads()) {
      if (RenderedOverlay.env(RenderedOverlay.container(deployment), "RETRIEVAL_SHARD_PEERS")
          != null) {
        // Shards fan queries out to each other (retrieval.shard.peers).
        callers
            .computeIfAbsent("retrieval-service", k -> new TreeSet<>())
            .add(deployment.at("/metadata/name").asText());
      }
      for (JsonNode env : RenderedOverlay.container(deployment).path("env")) {
        Matcher matcher = GRPC_CLIENT_HOST.matcher(env.path("name").asText());
        if (matcher.matches()) {
          callers
              .computeIfAbsent(env.path("value").asText(), k -> new TreeSet<>())
              .add(deployment.at("/metadata/name").asText());
        }
      }
    }
    return callers;
  }

  /** app.kubernetes.io/name of the pods a policy admits on {@code port}; "*" for any source. */
  private static Set<String> admittedPods(JsonNode policy, String port) {
    Set<String> pods = new TreeSet<>();
    for (JsonNode rule : policy.at("/spec/ingress")) {
      if (!rule.path("ports").toString().contains("\"" + port + "\"")) {
        continue;
      }
      if (rule.path("from").isMissingNode() || rule.path("from").isEmpty()) {
        pods.add("*");
      }
      rule.path("from")
          .forEach(
              peer -> {
                if (peer.has("podSelector")) {
                  pods.add(peer.at("/podSelector/matchLabels/app.kubernetes.io~1name").asText());
                }
              });
    }
    return pods;
  }

  private static Set<String> admittedNamespaces(JsonNode policy, String port) {
    Set<String> namespaces = new TreeSet<>();
    for (JsonNode rule : policy.at("/spec/ingress")) {
      if (rule.path("ports").toString().contains("\"" + port + "\"")) {
        rule.path("from")
            .forEach(
                peer ->
                    namespaces.add(
                        peer.at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name")
                            .asText()));
      }
    }
    return namespaces;
  }

  private static boolean emptyDirMountedAt(JsonNode pod, JsonNode container, String path) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("mountPath").asText().equals(path)) {
        for (JsonNode volume : pod.path("volumes")) {
          if (volume.path("name").asText().equals(mount.path("name").asText())
              && volume.has("emptyDir")) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
