package multimodal.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import multimodal.v1.Limits;
import multimodal.v1.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kafka resources of the production overlay agree with the code: topic names with {@link
 * Topics}, record limits with {@link Limits}, the ScaledObjects' consumer groups and the users'
 * ACLs with each service's application.properties.
 */
class K8sKafkaInvariantsTest {
  private static final Set<String> INGEST_AND_DEAD_LETTERS =
      Set.of(
          Topics.MEDIA_INGEST,
          Topics.MEDIA_INGEST_ENCODER_DLQ,
          Topics.MEDIA_INGEST_GENERATOR_DLQ,
          Topics.MEDIA_INGEST_VISION_DLQ,
          Topics.MEDIA_INGEST_SPEECH_DLQ,
          Topics.RETRIEVAL_DLQ);
  private static final List<String> RETRIEVAL_INPUTS =
      List.of(
          Topics.MEDIA_INGEST,
          Topics.MEDIA_EMBEDDING,
          Topics.MEDIA_CAPTION,
          Topics.MEDIA_VISION,
          Topics.MEDIA_TRANSCRIPT);

  /**
   * The settings of KEDA's kafka scaler used here and their neighbours: a trigger's metadata is a
   * free-form map in the CRD schema, so a misspelt key would pass it and be ignored by KEDA.
   */
  private static final Set<String> KAFKA_SCALER_KEYS =
      Set.of(
          "bootstrapServers",
          "consumerGroup",
          "topic",
          "lagThreshold",
          "activationLagThreshold",
          "offsetResetPolicy",
          "allowIdleConsumers",
          "scaleToZeroOnInvalidOffset",
          "excludePersistentLag",
          "limitToPartitionsWithLag",
          "ensureEvenDistributionOfPartitions",
          "version",
          "sasl",
          "tls");

  private final RenderedOverlay production = RenderedOverlay.of("production");

  @Test
  void theKafkaTopicsAreExactlyTheTopicsConstants() {
    assertThat(topics(production).keySet()).containsExactlyInAnyOrderElementsOf(topicConstants());
  }

  @Test
  void everyTopicIsReplicatedThreeTimesWithTwoInSyncAndTimeRetention() {
    topics(production)
        .forEach(
            (name, topic) -> {
              assertThat(topic.at("/spec/replicas").asInt()).as(name).isEqualTo(3);
              assertThat(topic.at("/spec/config/min.insync.replicas").asInt())
                  .as(name)
                  .isEqualTo(2);
              assertThat(topic.at("/spec/config/cleanup.policy").asText())
                  .as(name)
                  .isEqualTo("delete");
              assertThat(topic.at("/spec/config/retention.ms").asLong()).as(name).isPositive();
            });
  }

  @Test
  void theIngestAndDeadLetterTopicsHoldTheLargestRecord() {
    topics(production)
        .forEach(
            (name, topic) -> {
              if (INGEST_AND_DEAD_LETTERS.contains(name)) {
                assertThat(topic.at("/spec/config/max.message.bytes").asLong())
                    .as(name)
                    .isEqualTo(Limits.KAFKA_MAX_RECORD_BYTES);
              }
            });
  }

  @Test
  void retrievalsInputsHaveOnePartitionCountSoThatShardsSeeWholeItems() {
    Set<Integer> counts =
        RETRIEVAL_INPUTS.stream()
            .map(t -> topic(t).at("/spec/partitions").asInt())
            .collect(Collectors.toSet());
    assertThat(counts).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"encoder-service", "generator-service"})
  void theScaledObjectWatchesExactlyTheServicesConsumerGroups(String service) {
    JsonNode scaledObject = production.named("ScaledObject", service);
    assertThat(scaledObject.at("/spec/scaleTargetRef/name").asText()).isEqualTo(service);
    Set<ServiceProperties.GroupRead> watched = new HashSet<>();
    for (JsonNode trigger : scaledObject.at("/spec/triggers")) {
      assertThat(trigger.path("type").asText()).isEqualTo("kafka");
      Set<String> keys = new TreeSet<>();
      trigger.path("metadata").fieldNames().forEachRemaining(keys::add);
      assertThat(keys).isSubsetOf(KAFKA_SCALER_KEYS).contains("lagThreshold");
      watched.add(
          new ServiceProperties.GroupRead(
              trigger.at("/metadata/consumerGroup").asText(),
              trigger.at("/metadata/topic").asText()));
      assertThat(trigger.at("/metadata/bootstrapServers").asText())
          .isEqualTo(
              production
                  .named("ConfigMap", "platform-config")
                  .at("/data/KAFKA_BOOTSTRAP_SERVERS")
                  .asText());
    }
    assertThat(watched).isEqualTo(ServiceProperties.of(service).groupReads());
  }

  @ParameterizedTest
  @ValueSource(strings = {"encoder-service", "generator-service"})
  void moreReplicasThanPartitionsAreNeverAskedFor(String service) {
    JsonNode scaledObject = production.named("ScaledObject", service);
    for (JsonNode trigger : scaledObject.at("/spec/triggers")) {
      int partitions = topic(trigger.at("/metadata/topic").asText()).at("/spec/partitions").asInt();
      assertThat(scaledObject.at("/spec/maxReplicaCount").asInt()).isLessThanOrEqualTo(partitions);
      assertThat(trigger.at("/metadata/allowIdleConsumers").asText()).isEqualTo("false");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gateway", "encoder-service", "generator-service"})
  void eachServicesUserMayDoExactlyWhatItsChannelsDo(String service) {
    ServiceProperties properties = ServiceProperties.of(service);
    JsonNode user = production.named("KafkaUser", service);
    assertThat(allowed(user, "topic", "Read")).isEqualTo(properties.topicsRead());
    assertThat(allowed(user, "topic", "Write")).isEqualTo(properties.topicsWritten());
    Set<String> groups =
        properties.groupReads().stream()
            .map(ServiceProperties.GroupRead::group)
            .collect(Collectors.toSet());
    assertThat(allowed(user, "group", "Read")).isEqualTo(groups);
  }

  @Test
  void retrievalReadsItsInputsWithoutAGroupAndWritesOnlyItsDeadLetters() {
    JsonNode user = production.named("KafkaUser", "retrieval-service");
    assertThat(allowed(user, "topic", "Read"))
        .containsExactlyInAnyOrderElementsOf(RETRIEVAL_INPUTS);
    assertThat(allowed(user, "topic", "Write")).containsExactly(Topics.RETRIEVAL_DLQ);
    assertThat(allowed(user, "group", "Read")).isEmpty();
  }

  @Test
  void onlyTheGatewayAndNamedProducersMayWriteTheIngestTopic() {
    Set<String> writers = new TreeSet<>();
    for (JsonNode user : production.ofKind("KafkaUser")) {
      if (allowed(user, "topic", "Write").contains(Topics.MEDIA_INGEST)) {
        writers.add(user.at("/metadata/name").asText());
      }
    }
    assertThat(writers).containsExactly("gateway", "ingest-producer");
  }

  private JsonNode topic(String name) {
    JsonNode topic = topics(production).get(name);
    if (topic == null) {
      throw new AssertionError("no KafkaTopic with topicName " + name);
    }
    return topic;
  }

  static Map<String, JsonNode> topics(RenderedOverlay overlay) {
    Map<String, JsonNode> topics = new TreeMap<>();
    overlay.ofKind("KafkaTopic").forEach(t -> topics.put(t.at("/spec/topicName").asText(), t));
    return topics;
  }

  private static Set<String> allowed(JsonNode user, String resourceType, String operation) {
    Set<String> names = new TreeSet<>();
    for (JsonNode acl : user.at("/spec/authorization/acls")) {
      boolean grants = false;
      for (JsonNode op : acl.path("operations")) {
        grants |= op.asText().equals(operation) || op.asText().equals("All");
      }
      if (grants && acl.at("/resource/type").asText().equals(resourceType)) {
        names.add(acl.at("/resource/name").asText());
      }
    }
    return names;
  }

  private static Set<String> topicConstants() {
    Set<String> names = new TreeSet<>();
    for (Field field : Topics.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        try {
          names.add((String) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return names;
  }
}
