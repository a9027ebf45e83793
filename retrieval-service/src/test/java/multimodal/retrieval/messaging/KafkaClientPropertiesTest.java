package multimodal.retrieval.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {
  @Test
  void securitySettingsAreSharedAndPerClientOnesAndBlanksAreNot() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", "kafka:9093");
    config.put("security.protocol", "SASL_SSL");
    config.put("sasl.mechanism", "SCRAM-SHA-512");
    config.put("sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"p\";");
    config.put("ssl.truststore.location", "/etc/kafka-ca/ca.p12");
    config.put("ssl.truststore.password", "secret");
    config.put("ssl.truststore.type", "PKCS12");
    config.put("ssl.keystore.location", "");
    config.put("group.id", "some-group");
    config.put("client.id", "someone");
    config.put("value.deserializer", "x.Y");

    assertThat(KafkaClientProperties.shared(config))
        .containsOnlyKeys(
            "bootstrap.servers",
            "security.protocol",
            "sasl.mechanism",
            "sasl.jaas.config",
            "ssl.truststore.location",
            "ssl.truststore.password",
            "ssl.truststore.type")
        .containsEntry("security.protocol", "SASL_SSL");
  }

  @Test
  void noBootstrapServersIsRefused() {
    assertThatThrownBy(() -> KafkaClientProperties.shared(Map.of("security.protocol", "SSL")))
        .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
  }
}
