package multimodal.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import multimodal.devkit.pods.LocalPlatform;
import multimodal.devkit.pods.PlatformManifests;
import org.junit.jupiter.api.Test;

/**
 * {@code overlays/local-networks} puts the pods on podman networks that carry the production
 * NetworkPolicies' intent as far as membership can: every caller a policy admits to a worker's
 * {@code http} port shares a network with it; a routed network (one with a published port) holds
 * only pods whose {@code http} port the policies open to everyone (the first network of a pod that
 * publishes a port is routed, every other one internal); the broker shares its networks with the
 * services and nothing else; published ports are on 127.0.0.1. {@code ContainersSystemIT} plays it
 * and checks the reach with containers.
 */
class K8sLocalNetworksTest {
  @Test
  void theOverlayCarriesTheProductionPoliciesAsNetworkMembership() {
    assertThat(problems(local())).isEmpty();
  }

  @Test
  void aCallerMovedOffItsServersNetworksIsReported() {
    String yaml = RenderedOverlay.of("local-networks").yaml();
    String gatewayOnly = "multimodal.dev/podman-networks: public workers kafka";
    assertThat(yaml).contains(gatewayOnly);
    List<String> problems =
        problems(
            PlatformManifests.parse(
                yaml.replace(gatewayOnly, "multimodal.dev/podman-networks: public")));
    assertThat(problems)
        .anyMatch(p -> p.contains("gateway") && p.contains("retrieval-service"))
        .anyMatch(p -> p.contains("gateway is a Kafka client"));
  }

  @Test
  void aWorkerOnTheRoutedNetworkIsReported() {
    String yaml = RenderedOverlay.of("local-networks").yaml();
    String encoder =
        "multimodal.dev/podman-networks: kafka workers\n"
            + "  labels:\n"
            + "    app.kubernetes.io/name: encoder-service";
    assertThat(yaml).contains(encoder);
    List<String> problems =
        problems(
            PlatformManifests.parse(
                yaml.replace(encoder, encoder.replace("kafka workers", "kafka workers public"))));
    assertThat(problems).anyMatch(p -> p.contains("encoder-service") && p.contains("public"));
  }

  private static PlatformManifests local() {
    return PlatformManifests.parse(RenderedOverlay.of("local-networks").yaml());
  }

  static List<String> problems(PlatformManifests local) {
    List<String> problems = new ArrayList<>();
    RenderedOverlay production = RenderedOverlay.of("production");
    Set<String> openToAll = new HashSet<>();
    for (JsonNode policy : production.ofKind("NetworkPolicy")) {
      String server = policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name").asText();
      for (JsonNode rule : policy.at("/spec/ingress")) {
        if (!admitsHttp(rule)) {
          continue;
        }
        if (!rule.has("from")) {
          openToAll.add(server);
        }
        for (JsonNode peer : rule.path("from")) {
          String caller = peer.at("/podSelector/matchLabels/app.kubernetes.io~1name").asText();
          if (!caller.isEmpty()
              && !caller.equals(server)
              && !shareANetwork(local, caller, server)) {
            problems.add(
                caller
                    + " may call "
                    + server
                    + " (policy "
                    + policyName(policy)
                    + ") but shares no network with it");
          }
        }
      }
    }
    Set<String> routed = LocalPlatform.routedNetworks(local);
    for (String deployment : local.deploymentNames()) {
      for (PlatformManifests.PublishedPort port : local.publishedPorts(deployment)) {
        if (!port.hostIp().equals("127.0.0.1")) {
          problems.add(deployment + " publishes " + port.name() + " on " + port.hostIp());
        }
      }
    }
    for (String deployment : local.deploymentNames()) {
      for (String network : local.networks(deployment)) {
        if (routed.contains(network) && !openToAll.contains(deployment)) {
          problems.add(
              deployment
                  + " is on the routed network "
                  + network
                  + ", but its policy does not open http to everyone");
        }
      }
    }
    Set<String> kafkaClients = new HashSet<>();
    local.containers().stream()
        .filter(c -> c.envNames().contains("KAFKA_BOOTSTRAP_SERVERS"))
        .forEach(c -> kafkaClients.add(c.deployment()));
    for (String deployment : local.deploymentNames()) {
      boolean withBroker = !deployment.equals("kafka") && shareANetwork(local, deployment, "kafka");
      if (withBroker != kafkaClients.contains(deployment)) {
        problems.add(
            deployment
                + (withBroker
                    ? " is no Kafka client but shares a network with the broker"
                    : " is a Kafka client but shares no network with the broker"));
      }
    }
    return problems;
  }

  private static boolean admitsHttp(JsonNode rule) {
    for (JsonNode port : rule.path("ports")) {
      if (port.path("port").asText().equals("http")) {
        return true;
      }
    }
    return false;
  }

  private static String policyName(JsonNode policy) {
    return policy.at("/metadata/name").asText();
  }

  private static boolean shareANetwork(PlatformManifests local, String a, String b) {
    return local.networks(a).stream().anyMatch(local.networks(b)::contains);
  }
}
