package multimodal.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.pods.LocalPlatform;
import multimodal.devkit.pods.NetworkReach;
import multimodal.devkit.pods.PlatformManifests;
import multimodal.devkit.pods.Podman;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The platform as Kubernetes pods: the {@code k8s/overlays/local-networks} overlay (the local
 * overlay on podman bridge networks) rendered by kubectl, its env vars checked against the keys
 * each service understands, the images the build made ({@code bin/images}) played by podman as pods
 * (broker and four services), each on the networks that carry the production NetworkPolicies'
 * intent, only the gateway published (on 127.0.0.1), readiness awaited through the manifests' own
 * probes, then driven from the outside with the same checks as the process-based {@link
 * PlatformSystemIT}, and the networks' reach checked with throw-away containers. The pods and
 * networks are removed at the end, also when a test fails. Runs in the {@code containers} Maven
 * profile (podman installed).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainersSystemIT {
  private static final Path ROOT =
      Path.of(System.getProperty("platform.root", "..")).toAbsolutePath().normalize();
  private static final Path LOGS =
      Path.of(System.getProperty("platform.logs", "target/system-test-logs"));
  private static final String TAG = System.getProperty("images.tag", "0.1.0-SNAPSHOT");
  private static final Path IMAGES = ROOT.resolve("testdata/images");
  private static final List<String> WORKERS =
      List.of("encoder-service", "generator-service", "retrieval-service");
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  private static LocalPlatform platform;
  private static PlatformManifests manifests;
  private static PlatformClient client;
  private static Podman podman;
  private static final Map<String, Integer> ports = new LinkedHashMap<>();
  private static final Map<String, String> uploadedIds = new LinkedHashMap<>();

  @BeforeAll
  static void startPods() throws Exception {
    String conf = System.getProperty("containers.conf", "");
    podman = new Podman(!conf.isEmpty() && Files.exists(Path.of(conf)) ? Path.of(conf) : null);
    Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pods-");
    platform = new LocalPlatform(ROOT, root, podman);
    manifests = platform.render(ROOT.resolve("k8s/overlays/local-networks"), TAG);
    // Clients use the ports the manifests declare for them: "http" (REST and gRPC) and the broker's
    // "kafka", on the pods' addresses (the host reaches every podman network, as a node reaches
    // its pods); the gateway through the port it publishes on 127.0.0.1. The readiness probes are
    // on the services' management ports.
    assertThat(manifests.readinessProbes())
        .extracting(PlatformManifests.Probe::deployment)
        .containsExactlyInAnyOrder(
            "kafka", "encoder-service", "generator-service", "retrieval-service", "gateway");
    for (String service :
        List.of("encoder-service", "generator-service", "retrieval-service", "gateway")) {
      ports.put(service, manifests.containerPort(service, "http"));
    }
    ports.put("kafka", manifests.containerPort("kafka", "kafka"));

    Map.Entry<String, String> key = LocalPlatform.newApiKey("default");
    platform.up(manifests, key.getValue());
    PlatformManifests.PublishedPort gateway =
        manifests.publishedPorts("gateway").stream()
            .filter(p -> p.name().equals("http"))
            .findFirst()
            .orElseThrow();
    assertThat(gateway.hostIp()).isEqualTo("127.0.0.1");
    ports.put("gateway", gateway.hostPort());
    client =
        new PlatformClient(
            "http://127.0.0.1:" + gateway.hostPort(),
            key.getKey(),
            platform.podAddress("kafka") + ":" + ports.get("kafka"));
  }

  @AfterAll
  static void removePods() throws Exception {
    if (platform == null) {
      return;
    }
    Files.createDirectories(LOGS);
    Files.writeString(LOGS.resolve("pods.log"), platform.diagnostics());
    if (manifests != null) {
      platform.down(manifests);
    }
  }

  @Test
  @Order(1)
  void uploadsAreEmbeddedIndexedAndCaptionedInThePods() throws Exception {
    uploadedIds.putAll(PipelineChecks.everyUploadedImageIsFoundBySearch(client, IMAGES));
    PipelineChecks.everyUploadIsCaptioned(client, uploadedIds.keySet());
  }

  @Test
  @Order(2)
  void poisonRecordsGoToTheDeadLetterTopicWhileGoodOnesAreProcessed() throws Exception {
    PipelineChecks.poisonRecordsGoToTheDeadLetterTopicWhileGoodOnesAreProcessed(client);
  }

  @Test
  @Order(3)
  void everyServicePodAnswersGrpcHealthAndReflection() throws Exception {
    for (String service :
        List.of("encoder-service", "generator-service", "retrieval-service", "gateway")) {
      // The workers answer reflection only to callers they admit: a token signed with the key the
      // pods were given (the local platform fills the referenced Secret with random values).
      String internalKey = platform.secretValues("multimodal-internal-auth").get("key");
      PlatformClient.assertGrpcHealthAndReflection(
          service,
          service.equals("gateway") ? "127.0.0.1" : platform.podAddress(service),
          ports.get(service),
          ServiceTokens.bearerFor(service, internalKey));
    }
  }

  @Test
  @Order(4)
  void theRealDetectorInTheGeneratorImageTagsThePhotographs() throws Exception {
    String horse =
        uploadedIds.entrySet().stream()
            .filter(e -> e.getValue().equals("horse.png"))
            .findFirst()
            .orElseThrow()
            .getKey();
    org.awaitility.Awaitility.await("horse.png analysed")
        .atMost(java.time.Duration.ofMinutes(2))
        .untilAsserted(
            () -> assertThat(client.status(horse).path("vision").asText()).isEqualTo("analysed"));
    assertThat(client.status(horse).path("objects").findValuesAsText("label")).contains("horse");
  }

  /**
   * The allowed paths are open, so that the refusals below mean something: a container on the
   * workers network (where the gateway is) opens the workers' gRPC ports by their Service names,
   * one on the kafka network (where the services are) the broker's.
   */
  @Test
  @Order(5)
  void theAllowedNetworksReachTheWorkersAndTheBroker() {
    List<String> workers = WORKERS.stream().map(w -> w + ":" + ports.get(w)).toList();
    assertThat(reachFrom("workers", workers)).allMatch(NetworkReach.Outcome::connected);
    assertThat(reachFrom("kafka", List.of("kafka:" + ports.get("kafka"))))
        .allMatch(NetworkReach.Outcome::connected);
  }

  /**
   * What the production NetworkPolicies forbid and podman networks can stop: a container outside
   * the allowed networks opens no connection to the workers' gRPC ports or to the broker, neither
   * by name (no DNS answer off their networks) nor by any of their addresses (the internal
   * networks' bridges forward nothing). Tried from the gateway's public network (next to the one
   * published pod, and routed to the host) and from podman's default network (any other container
   * on the machine). On the same public network the gateway's http port is open, as its policy
   * admits everyone: the probe itself works there.
   */
  @Test
  @Order(6)
  void aContainerOutsideTheAllowedNetworksReachesNeitherTheWorkersNorTheBroker() {
    List<String> forbidden = new ArrayList<>();
    for (String worker : WORKERS) {
      forbidden.add(worker + ":" + ports.get(worker));
      platform
          .podAddresses(worker)
          .values()
          .forEach(a -> forbidden.add(a + ":" + ports.get(worker)));
    }
    forbidden.add("kafka:" + ports.get("kafka"));
    platform
        .podAddresses("kafka")
        .values()
        .forEach(a -> forbidden.add(a + ":" + ports.get("kafka")));

    for (String outside : List.of(LocalPlatform.podmanNetwork("public"), "podman")) {
      assertThat(NetworkReach.from(podman, outside, probeImage(), forbidden, CONNECT_TIMEOUT))
          .as("from network %s", outside)
          .hasSize(forbidden.size())
          .noneMatch(NetworkReach.Outcome::connected);
    }
    assertThat(
            reachFrom("public", List.of("gateway:" + manifests.containerPort("gateway", "http"))))
        .allMatch(NetworkReach.Outcome::connected);
  }

  private static List<NetworkReach.Outcome> reachFrom(String network, List<String> targets) {
    return NetworkReach.from(
        podman, LocalPlatform.podmanNetwork(network), probeImage(), targets, CONNECT_TIMEOUT);
  }

  /** The broker's image: the platform's own, with bash and coreutils (nothing is pulled). */
  private static String probeImage() {
    return manifests.containers().stream()
        .filter(c -> c.deployment().equals("kafka"))
        .findFirst()
        .orElseThrow()
        .image();
  }
}
