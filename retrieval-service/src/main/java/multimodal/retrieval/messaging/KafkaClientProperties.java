package multimodal.retrieval.messaging;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Kafka client settings every hand-built client of this service shares: the same {@code
 * kafka.*} configuration (bootstrap servers, TLS, SASL) that Quarkus gives every SmallRye channel,
 * so the materialiser's consumer and dead-letter producer connect exactly as the channels of the
 * other services do. Quarkus already collects those keys (from application.properties and from
 * {@code KAFKA_*} env vars) into its {@code default-kafka-broker} map; this only drops what must
 * not be shared.
 */
public final class KafkaClientProperties {
  /**
   * Set by each client for itself: a group or client id, or (de)serializers, taken from the shared
   * settings, would make every client the same client.
   */
  static final Set<String> PER_CLIENT =
      Set.of(
          "client.id",
          "group.id",
          "group.instance.id",
          "key.serializer",
          "value.serializer",
          "key.deserializer",
          "value.deserializer",
          "transactional.id");

  private KafkaClientProperties() {}

  /**
   * The shared settings out of Quarkus's {@code default-kafka-broker} map (keys without the {@code
   * kafka.} prefix): empty values (a key left blank in application.properties) and {@link
   * #PER_CLIENT} keys left out; refuses a map without {@code bootstrap.servers}.
   */
  public static Map<String, String> shared(Map<String, ?> kafkaConfig) {
    Map<String, String> shared = new TreeMap<>();
    kafkaConfig.forEach(
        (key, value) -> {
          String text = value == null ? "" : value.toString();
          if (!text.isBlank() && !PER_CLIENT.contains(key)) {
            shared.put(key, text);
          }
        });
    if (!shared.containsKey("bootstrap.servers")) {
      throw new IllegalArgumentException(
          "kafka.bootstrap.servers is not set (env KAFKA_BOOTSTRAP_SERVERS)");
    }
    return Map.copyOf(shared);
  }
}
