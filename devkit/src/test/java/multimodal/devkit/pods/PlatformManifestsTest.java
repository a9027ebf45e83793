package multimodal.devkit.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformManifestsTest {
  private static final String YAML =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: platform-config}
      data: {KAFKA_BOOTSTRAP_SERVERS: "127.0.0.1:9092", QUARKUS_HTTP_HOST: 127.0.0.1}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: gateway}
      spec:
        template:
          spec:
            containers:
              - name: gateway
                image: localhost/multimodal/gateway:0.1.0
                ports: [{name: http, containerPort: 8080}]
                envFrom: [{configMapRef: {name: platform-config}}]
                env:
                  - {name: GATEWAY_BLOBS_DIR, value: /data/blobs}
                  - name: GATEWAY_BLOBS_INTERNAL_TOKEN
                    valueFrom: {secretKeyRef: {name: platform-secrets, key: blob-token}}
                readinessProbe: {httpGet: {path: /q/health/ready, port: http}}
                volumeMounts:
                  - {name: blobs, mountPath: /data/blobs}
                  - {name: elsewhere, mountPath: /srv, readOnly: true}
            volumes:
              - name: blobs
                hostPath: {path: /var/lib/multimodal/blobs, type: Directory}
              - name: elsewhere
                hostPath: {path: /srv/other}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: kafka}
      spec:
        template:
          spec:
            containers:
              - name: kafka
                image: localhost/multimodal/kafka:0.1.0
                ports: [{name: kafka, containerPort: 9092}]
                readinessProbe: {tcpSocket: {port: 9092}}
      """;

  @Test
  void probesResolveNamedPortsAndKeepTheirKind() {
    assertThat(PlatformManifests.parse(YAML).readinessProbes())
        .containsExactly(
            new PlatformManifests.Probe("gateway", 8080, Optional.of("/q/health/ready")),
            new PlatformManifests.Probe("kafka", 9092, Optional.empty()));
  }

  @Test
  void containersSeeTheirEnvAndTheKeysOfTheirConfigMaps() {
    var gateway = PlatformManifests.parse(YAML).containers().get(0);
    assertThat(gateway.envNames())
        .containsExactlyInAnyOrder(
            "GATEWAY_BLOBS_DIR",
            "GATEWAY_BLOBS_INTERNAL_TOKEN",
            "KAFKA_BOOTSTRAP_SERVERS",
            "QUARKUS_HTTP_HOST");
  }

  @Test
  void hostPathsMoveUnderTheRunsRootAndImagesGetTheBuildsTag(@TempDir Path root) throws Exception {
    PlatformManifests manifests =
        PlatformManifests.parse(YAML)
            .withHostPathRoot("/var/lib/multimodal", root)
            .withImageTag("localhost/multimodal/", "1.2.3-SNAPSHOT");
    assertThat(manifests.hostPaths()).containsExactly(root.resolve("blobs"), Path.of("/srv/other"));
    assertThat(manifests.containers())
        .extracting(PlatformManifests.Container::image)
        .containsExactly(
            "localhost/multimodal/gateway:1.2.3-SNAPSHOT",
            "localhost/multimodal/kafka:1.2.3-SNAPSHOT");

    Path file = root.resolve("platform.yaml");
    manifests.writeTo(file);
    assertThat(PlatformManifests.parse(Files.readString(file)).hostPaths())
        .containsExactly(root.resolve("blobs"), Path.of("/srv/other"));
  }

  @Test
  void writtenHostNetworkPodsDeclareNoPortsForPodmanToMap(@TempDir Path root) throws Exception {
    String hostNetwork =
        YAML.replace(
            "containers:\n        - name: kafka",
            "hostNetwork: true\n      containers:\n        - name: kafka");
    assertThat(hostNetwork).contains("hostNetwork: true");
    PlatformManifests manifests = PlatformManifests.parse(hostNetwork);
    Path file = root.resolve("platform.yaml");

    manifests.writeTo(file);

    String written = Files.readString(file);
    assertThat(written).contains("containerPort: 8080").doesNotContain("containerPort: 9092");
    assertThat(manifests.readinessProbes())
        .extracting(PlatformManifests.Probe::port)
        .containsExactly(8080, 9092);
  }

  @Test
  void namedContainerPortsAreFound() {
    PlatformManifests manifests = PlatformManifests.parse(YAML);
    assertThat(manifests.containerPort("gateway", "http")).isEqualTo(8080);
    assertThat(manifests.containerPort("kafka", "kafka")).isEqualTo(9092);
    assertThatThrownBy(() -> manifests.containerPort("gateway", "grpc"))
        .hasMessageContaining("no port named grpc");
  }

  @Test
  void onlyDirectoriesMountedForWritingAreWritable() {
    assertThat(PlatformManifests.parse(YAML).writableHostPaths())
        .containsExactly(Path.of("/var/lib/multimodal/blobs"));
  }

  @Test
  void secretsAreNamedWithTheKeysTheContainersRead() {
    PlatformManifests manifests = PlatformManifests.parse(YAML);
    assertThat(manifests.secretNames()).containsExactly("platform-secrets");
    assertThat(manifests.secretKeys("platform-secrets")).containsExactly("blob-token");
  }

  @Test
  void aProbeOnAPortTheContainerDoesNotDeclareIsRefused() {
    String broken = YAML.replace("port: http}", "port: web}");
    assertThatThrownBy(() -> PlatformManifests.parse(broken).readinessProbes())
        .hasMessageContaining("'web'");
  }

  private static final String ON_NETWORKS =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: platform-config}
      data: {KAFKA_BOOTSTRAP_SERVERS: "kafka:9092"}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: gateway
        annotations: {multimodal.dev/podman-networks: public workers}
      spec:
        template:
          metadata: {labels: {app.kubernetes.io/name: gateway, tier: front}}
          spec:
            containers:
              - name: gateway
                image: localhost/multimodal/gateway:0.1.0
                ports:
                  - {name: http, containerPort: 8080, hostIP: 127.0.0.1, hostPort: 18080}
                  - {name: management, containerPort: 9000}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: kafka
        annotations: {multimodal.dev/podman-networks: kafka}
      spec:
        template:
          metadata: {labels: {app.kubernetes.io/name: kafka}}
          spec:
            containers:
              - name: kafka
                image: localhost/multimodal/kafka:0.1.0
                ports: [{name: kafka, containerPort: 9092}]
                env:
                  - {name: KAFKA_LISTEN_HOST, value: 0.0.0.0}
                  - name: KAFKA_ADVERTISED_HOST
                    valueFrom: {fieldRef: {fieldPath: status.podIP}}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: gateway}
      spec: {selector: {app.kubernetes.io/name: gateway}}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: kafka}
      spec: {selector: {app.kubernetes.io/name: kafka}}
      """;

  @Test
  void podsNameTheirNetworksAndAnswerToTheServicesThatSelectThem() {
    PlatformManifests manifests = PlatformManifests.parse(ON_NETWORKS);
    assertThat(manifests.deploymentNames()).containsExactly("gateway", "kafka");
    assertThat(manifests.networks("gateway")).containsExactly("public", "workers");
    assertThat(manifests.networks("kafka")).containsExactly("kafka");
    assertThat(manifests.serviceNames("gateway")).containsExactly("gateway");
    assertThat(manifests.serviceNames("kafka")).containsExactly("kafka");
    assertThat(PlatformManifests.parse(YAML).networks("gateway")).isEmpty();
    assertThat(manifests.publishedPorts("gateway"))
        .containsExactly(
            new PlatformManifests.PublishedPort("gateway", "http", "127.0.0.1", 18080, 8080));
    assertThat(manifests.publishedPorts("kafka")).isEmpty();
    assertThat(manifests.readsPodIp("kafka")).isTrue();
    assertThat(manifests.readsPodIp("gateway")).isFalse();
  }

  @Test
  void aPodAloneIsWrittenWithItsAddressAndOnlyItsLoopbackPublishedPorts(@TempDir Path root)
      throws Exception {
    PlatformManifests manifests = PlatformManifests.parse(ON_NETWORKS);
    Path gateway = root.resolve("gateway.yaml");
    Path kafka = root.resolve("kafka.yaml");

    manifests.writeDeploymentTo("gateway", gateway, null);
    manifests.writeDeploymentTo("kafka", kafka, "10.89.1.254");

    PlatformManifests writtenGateway = PlatformManifests.parse(Files.readString(gateway));
    assertThat(writtenGateway.deploymentNames()).containsExactly("gateway");
    assertThat(Files.readString(gateway))
        .contains("kind: \"ConfigMap\"", "hostPort: 18080")
        .doesNotContain("containerPort: 9000");
    assertThat(Files.readString(kafka))
        .contains("value: \"10.89.1.254\"")
        .doesNotContain("status.podIP", "containerPort: 9092");
  }

  @Test
  void aPortPublishedBeyondLoopbackIsRefused(@TempDir Path root) {
    PlatformManifests manifests =
        PlatformManifests.parse(ON_NETWORKS.replace("hostIP: 127.0.0.1", "hostIP: 0.0.0.0"));
    assertThatThrownBy(() -> manifests.writeDeploymentTo("gateway", root.resolve("g.yaml"), null))
        .hasMessageContaining("publish on hostIP 127.0.0.1 only");
  }

  @Test
  void theFixedAddressIsTheLastOfTheSubnet() {
    assertThat(LocalPlatform.lastHostAddress("10.89.1.0/24")).isEqualTo("10.89.1.254");
    assertThat(LocalPlatform.lastHostAddress("10.88.0.0/16")).isEqualTo("10.88.255.254");
    assertThat(LocalPlatform.lastHostAddress("192.168.7.130/25")).isEqualTo("192.168.7.254");
  }
}
