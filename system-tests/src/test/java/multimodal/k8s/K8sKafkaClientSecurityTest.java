package multimodal.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import multimodal.devkit.pods.EnvironmentCheck;
import multimodal.devkit.pods.PlatformManifests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Kafka client of every workload connects the way the Kafka resource lets it: over the one
 * listener, with TLS trusting Strimzi's cluster CA and with the SCRAM login of the KafkaUser named
 * after the workload (so its ACLs are the ones K8sKafkaInvariantsTest checks); and KEDA's lag
 * queries log in as well. The keys are Kafka client settings under {@code kafka.*}, which every
 * SmallRye channel and retrieval-service's own clients take (ManifestEnvironmentTest and
 * K8sOverlaysTest check each env var names a real key).
 */
class K8sKafkaClientSecurityTest {
  private static final String CLUSTER = "multimodal";
  private static final String CA_SECRET = CLUSTER + "-cluster-ca-cert";
  private static final Map<String, String> SASL_MECHANISMS =
      Map.of("scram-sha-512", "SCRAM-SHA-512", "scram-sha-256", "SCRAM-SHA-256");

  @ParameterizedTest
  @ValueSource(strings = {"production", "gpu"})
  void everyKafkaClientLogsInAsItsOwnUserOverTls(String overlay) {
    assertThat(problems(RenderedOverlay.of(overlay))).isEmpty();
  }

  @Test
  void aWorkloadUsingAnotherUsersLoginIsReported() {
    String yaml = RenderedOverlay.of("production").yaml();
    String gatewayLogin = "key: sasl.jaas.config\n              name: gateway\n";
    assertThat(yaml).contains(gatewayLogin);
    RenderedOverlay changed =
        RenderedOverlay.parse(
            "production",
            yaml.replace(
                gatewayLogin, "key: sasl.jaas.config\n              name: encoder-service\n"));
    assertThat(problems(changed))
        .containsExactly(
            "gateway: KAFKA_SASL_JAAS_CONFIG must come from the Secret of KafkaUser gateway (key"
                + " sasl.jaas.config), is"
                + " {\"key\":\"sasl.jaas.config\",\"name\":\"encoder-service\"}");
  }

  @Test
  void aMisspeltKafkaSettingNamesNoKey() {
    String yaml = RenderedOverlay.of("production").yaml();
    PlatformManifests misspelt =
        PlatformManifests.parse(yaml.replace("KAFKA_SASL_MECHANISM:", "KAFKA_SASL_MECHANISMS:"));
    assertThat(new EnvironmentCheck(RenderedOverlay.ROOT).problems(misspelt))
        .contains(
            "Deployment gateway: KAFKA_SASL_MECHANISMS names no configuration key of gateway",
            "Deployment retrieval-service: KAFKA_SASL_MECHANISMS names no configuration key of"
                + " retrieval-service");
  }

  /** One line per way a workload or KEDA would fail to connect or connect as someone else. */
  static List<String> problems(RenderedOverlay overlay) {
    List<String> problems = new ArrayList<>();
    JsonNode config = overlay.named("ConfigMap", "platform-config").path("data");
    String bootstrap = config.path("KAFKA_BOOTSTRAP_SERVERS").asText();
    JsonNode listener = listenerOn(overlay, bootstrap);
    if (listener == null) {
      return List.of("no listener of Kafka " + CLUSTER + " serves " + bootstrap);
    }
    String authentication = listener.at("/authentication/type").asText();
    String protocol = (listener.path("tls").asBoolean() ? "SASL_SSL" : "SASL_PLAINTEXT");
    expect(problems, "platform-config", "KAFKA_SECURITY_PROTOCOL", config, protocol);
    expect(
        problems,
        "platform-config",
        "KAFKA_SASL_MECHANISM",
        config,
        SASL_MECHANISMS.getOrDefault(
            authentication, "(listener authentication " + authentication + ")"));
    if (listener.path("tls").asBoolean()) {
      expect(problems, "platform-config", "KAFKA_SSL_TRUSTSTORE_TYPE", config, "PKCS12");
    }
    Path truststore = Path.of(config.path("KAFKA_SSL_TRUSTSTORE_LOCATION").asText("/"));
    for (JsonNode workload : overlay.workloads()) {
      String name = workload.at("/metadata/name").asText();
      JsonNode container = RenderedOverlay.container(workload);
      if (!container.path("envFrom").toString().contains("platform-config")) {
        continue;
      }
      JsonNode login = RenderedOverlay.envEntry(container, "KAFKA_SASL_JAAS_CONFIG");
      JsonNode loginRef = login.at("/valueFrom/secretKeyRef");
      if (!loginRef.path("name").asText().equals(name)
          || !loginRef.path("key").asText().equals("sasl.jaas.config")) {
        problems.add(
            name
                + ": KAFKA_SASL_JAAS_CONFIG must come from the Secret of KafkaUser "
                + name
                + " (key sasl.jaas.config), is "
                + loginRef);
      }
      if (overlay.ofKind("KafkaUser").stream()
          .noneMatch(
              u ->
                  u.at("/metadata/name").asText().equals(name)
                      && u.at("/spec/authentication/type").asText().equals(authentication))) {
        problems.add(name + ": no KafkaUser " + name + " with authentication " + authentication);
      }
      if (listener.path("tls").asBoolean()) {
        JsonNode password =
            RenderedOverlay.envEntry(container, "KAFKA_SSL_TRUSTSTORE_PASSWORD")
                .at("/valueFrom/secretKeyRef");
        if (!password.path("name").asText().equals(CA_SECRET)
            || !password.path("key").asText().equals("ca.password")) {
          problems.add(
              name + ": KAFKA_SSL_TRUSTSTORE_PASSWORD must be " + CA_SECRET + " ca.password");
        }
        if (!mountsCaTruststore(workload, truststore)) {
          problems.add(
              name + ": no " + CA_SECRET + " ca.p12 mounted as " + truststore + " (read-only)");
        }
      }
    }
    kedaLogsIn(overlay, authentication, problems);
    return problems;
  }

  private static void kedaLogsIn(
      RenderedOverlay overlay, String authentication, List<String> problems) {
    for (JsonNode scaledObject : overlay.ofKind("ScaledObject")) {
      for (JsonNode trigger : scaledObject.at("/spec/triggers")) {
        String name = scaledObject.at("/metadata/name").asText();
        // KEDA spells the mechanism scram_sha512 where Strimzi says scram-sha-512.
        if (!trigger
                .at("/metadata/sasl")
                .asText()
                .equals(authentication.replace("scram-sha-", "scram_sha"))
            || !trigger.at("/metadata/tls").asText().equals("enable")) {
          problems.add(name + ": a kafka trigger without sasl/tls of the listener");
        }
        String ref = trigger.at("/authenticationRef/name").asText();
        JsonNode auth =
            overlay.ofKind("TriggerAuthentication").stream()
                .filter(a -> a.at("/metadata/name").asText().equals(ref))
                .findFirst()
                .orElse(null);
        if (auth == null) {
          problems.add(name + ": no TriggerAuthentication " + ref);
          continue;
        }
        boolean passwordOfAUser = false;
        boolean caOfTheCluster = false;
        for (JsonNode target : auth.at("/spec/secretTargetRef")) {
          String secret = target.path("name").asText();
          if (target.path("parameter").asText().equals("password")) {
            passwordOfAUser =
                target.path("key").asText().equals("password")
                    && overlay.ofKind("KafkaUser").stream()
                        .anyMatch(u -> u.at("/metadata/name").asText().equals(secret));
          }
          if (target.path("parameter").asText().equals("ca")) {
            caOfTheCluster =
                secret.equals(CA_SECRET) && target.path("key").asText().equals("ca.crt");
          }
        }
        if (!passwordOfAUser || !caOfTheCluster) {
          problems.add(ref + ": needs a KafkaUser's password and " + CA_SECRET + " ca.crt");
        }
      }
    }
  }

  private static JsonNode listenerOn(RenderedOverlay overlay, String bootstrap) {
    String host = CLUSTER + "-kafka-bootstrap:";
    if (!bootstrap.startsWith(host)) {
      return null;
    }
    int port = Integer.parseInt(bootstrap.substring(host.length()));
    for (JsonNode listener : overlay.named("Kafka", CLUSTER).at("/spec/kafka/listeners")) {
      if (listener.path("port").asInt() == port) {
        return listener;
      }
    }
    return null;
  }

  private static void expect(
      List<String> problems, String where, String key, JsonNode data, String value) {
    if (!data.path(key).asText().equals(value)) {
      problems.add(where + ": " + key + " must be " + value + ", is " + data.path(key));
    }
  }

  private static boolean mountsCaTruststore(JsonNode workload, Path truststore) {
    JsonNode pod = workload.at("/spec/template/spec");
    for (JsonNode mount : RenderedOverlay.container(workload).path("volumeMounts")) {
      if (!Path.of(mount.path("mountPath").asText()).equals(truststore.getParent())
          || !mount.path("readOnly").asBoolean()) {
        continue;
      }
      for (JsonNode volume : pod.path("volumes")) {
        if (volume.path("name").asText().equals(mount.path("name").asText())
            && volume.at("/secret/secretName").asText().equals(CA_SECRET)) {
          for (JsonNode item : volume.at("/secret/items")) {
            if (item.path("key").asText().equals("ca.p12")
                && item.path("path").asText().equals(truststore.getFileName().toString())) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }
}
