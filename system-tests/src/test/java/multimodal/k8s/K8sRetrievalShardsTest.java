package multimodal.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import multimodal.v1.Topics;
import org.junit.jupiter.api.Test;

/**
 * retrieval-service in production: a StatefulSet whose pods are the shards (ordinal = shard, see
 * ShardOrdinal), with replicas, shard count and peer list in agreement, one index claim per pod,
 * and otherwise the base's container as it is.
 */
class K8sRetrievalShardsTest {
  private static final String NAME = "retrieval-service";
  private final RenderedOverlay production = RenderedOverlay.of("production");

  @Test
  void replicasShardCountAndPeersAgree() {
    assertThat(shardProblems(production)).isEmpty();
  }

  @Test
  void moreReplicasThanShardsAreReported() {
    String yaml = production.yaml();
    String replicas = "serviceName: retrieval-service-shards\n";
    assertThat(yaml)
        .contains(
            "replicas: 3\n"
                + "  selector:\n"
                + "    matchLabels:\n"
                + "      app.kubernetes.io/name: retrieval-service\n"
                + "  serviceName");
    RenderedOverlay four =
        RenderedOverlay.parse(
            "production",
            yaml.replace(
                "replicas: 3\n"
                    + "  selector:\n"
                    + "    matchLabels:\n"
                    + "      app.kubernetes.io/name: retrieval-service\n"
                    + "  "
                    + replicas,
                "replicas: 4\n"
                    + "  selector:\n"
                    + "    matchLabels:\n"
                    + "      app.kubernetes.io/name: retrieval-service\n"
                    + "  "
                    + replicas));
    assertThat(shardProblems(four))
        .contains("RETRIEVAL_SHARD_COUNT is 3, the StatefulSet runs 4 pods");
  }

  @Test
  void theShardCountDividesTheInputTopicsPartitions() {
    int shards = statefulSet(production).at("/spec/replicas").asInt();
    Map<String, JsonNode> topics = K8sKafkaInvariantsTest.topics(production);
    for (String topic :
        List.of(
            Topics.MEDIA_INGEST,
            Topics.MEDIA_EMBEDDING,
            Topics.MEDIA_CAPTION,
            Topics.MEDIA_VISION)) {
      assertThat(topics.get(topic).at("/spec/partitions").asInt() % shards).as(topic).isZero();
    }
  }

  @Test
  void eachShardKeepsItsIndexOnItsOwnClaim() {
    JsonNode sts = statefulSet(production);
    String indexDir = RenderedOverlay.env(RenderedOverlay.container(sts), "RETRIEVAL_INDEX_DIR");
    List<String> claims = new ArrayList<>();
    sts.at("/spec/volumeClaimTemplates").forEach(t -> claims.add(t.at("/metadata/name").asText()));
    String mountedClaim = null;
    for (JsonNode mount : RenderedOverlay.container(sts).path("volumeMounts")) {
      if (indexDir.startsWith(mount.path("mountPath").asText() + "/")) {
        mountedClaim = mount.path("name").asText();
      }
    }
    assertThat(claims).contains(mountedClaim);
    assertThat(production.ofKind("Deployment"))
        .noneMatch(d -> d.at("/metadata/name").asText().equals(NAME));
    assertThat(production.ofKind("PersistentVolumeClaim"))
        .noneMatch(c -> c.at("/metadata/name").asText().equals("retrieval-index"));
  }

  @Test
  void theShardsRunTheBasesContainerAsItIs() throws IOException {
    RenderedOverlay base =
        RenderedOverlay.parse(
            "base",
            Files.readString(RenderedOverlay.ROOT.resolve("k8s/base/retrieval-service.yaml")));
    JsonNode expected = RenderedOverlay.container(base.named("Deployment", NAME));
    JsonNode actual = RenderedOverlay.container(statefulSet(production));
    assertThat(actual.path("image")).isEqualTo(expected.path("image"));
    assertThat(actual.path("ports")).isEqualTo(expected.path("ports"));
    assertThat(actual.path("envFrom")).isEqualTo(expected.path("envFrom"));
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      assertThat(actual.path(probe)).as(probe).isEqualTo(expected.path(probe));
    }
    Map<String, JsonNode> actualEnv = envByName(actual);
    envByName(expected)
        .forEach((name, entry) -> assertThat(actualEnv.get(name)).as(name).isEqualTo(entry));
  }

  /** Disagreements between the StatefulSet's size, its shard settings and its peer list. */
  static List<String> shardProblems(RenderedOverlay overlay) {
    List<String> problems = new ArrayList<>();
    JsonNode sts = statefulSet(overlay);
    JsonNode container = RenderedOverlay.container(sts);
    int replicas = sts.at("/spec/replicas").asInt();
    String count = RenderedOverlay.env(container, "RETRIEVAL_SHARD_COUNT");
    if (!String.valueOf(replicas).equals(count)) {
      problems.add(
          "RETRIEVAL_SHARD_COUNT is " + count + ", the StatefulSet runs " + replicas + " pods");
    }
    if (!RenderedOverlay.envEntry(container, "RETRIEVAL_SHARD_INDEX").isMissingNode()) {
      problems.add("RETRIEVAL_SHARD_INDEX is set: every pod would be the same shard");
    }
    String service = sts.at("/spec/serviceName").asText();
    int port = 0;
    for (JsonNode p : container.path("ports")) {
      if (p.path("name").asText().equals("http")) {
        port = p.path("containerPort").asInt();
      }
    }
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      peers.add(NAME + "-" + i + "." + service + ":" + port);
    }
    String configured = RenderedOverlay.env(container, "RETRIEVAL_SHARD_PEERS");
    if (!String.join(",", peers).equals(configured)) {
      problems.add("RETRIEVAL_SHARD_PEERS is " + configured + ", the pods are " + peers);
    }
    JsonNode headless = overlay.named("Service", service);
    if (!headless.at("/spec/clusterIP").asText().equals("None")
        || !headless.at("/spec/selector").equals(sts.at("/spec/selector/matchLabels"))) {
      problems.add(service + " must be headless and select the shards");
    }
    return problems;
  }

  private static JsonNode statefulSet(RenderedOverlay overlay) {
    return overlay.named("StatefulSet", NAME);
  }

  private static Map<String, JsonNode> envByName(JsonNode container) {
    Map<String, JsonNode> env = new TreeMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
    return env;
  }
}
