package multimodal.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.pods.LocalPlatform;
import multimodal.devkit.pods.PlatformManifests;
import multimodal.devkit.pods.Podman;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The platform as Kubernetes pods: the {@code k8s/overlays/local} overlay rendered by kubectl, its
 * env vars checked against the keys each service understands, the images the build made ({@code
 * bin/images}) played by podman as pods (broker and four services, host networking, all on
 * 127.0.0.1), readiness awaited through the manifests' own probes, then driven from the outside
 * with the same checks as the process-based {@link PlatformSystemIT}. The pods are removed at the
 * end, also when a test fails. Runs in the {@code containers} Maven profile (podman installed).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainersSystemIT {
  private static final Path ROOT =
      Path.of(System.getProperty("platform.root", "..")).toAbsolutePath().normalize();
  private static final Path LOGS =
      Path.of(System.getProperty("platform.logs", "target/system-test-logs"));
  private static final String TAG = System.getProperty("images.tag", "0.1.0-SNAPSHOT");
  private static final Path IMAGES = ROOT.resolve("testdata/images");

  private static LocalPlatform platform;
  private static PlatformManifests manifests;
  private static PlatformClient client;
  private static final Map<String, Integer> ports = new LinkedHashMap<>();
  private static final Map<String, String> uploadedIds = new LinkedHashMap<>();

  @BeforeAll
  static void startPods() throws Exception {
    String conf = System.getProperty("containers.conf", "");
    Podman podman =
        new Podman(!conf.isEmpty() && Files.exists(Path.of(conf)) ? Path.of(conf) : null);
    Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pods-");
    platform = new LocalPlatform(ROOT, root, podman);
    manifests = platform.render(ROOT.resolve("k8s/overlays/local"), TAG);
    // Clients use the ports the manifests declare for them: "http" (REST and gRPC) and the broker's
    // "kafka"; the readiness probes are on the services' management ports.
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
    client =
        new PlatformClient(
            "http://127.0.0.1:" + ports.get("gateway"),
            key.getKey(),
            "127.0.0.1:" + ports.get("kafka"));
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
          service, ports.get(service), ServiceTokens.bearerFor(service, internalKey));
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
}
