package multimodal.devkit.kafka;

import multimodal.broker.BrokerSettings;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/** Testcontainers' Kafka (apache/kafka image), used only when asked for and Docker is reachable. */
final class TestcontainersKafka implements AutoCloseable {
  static final String IMAGE = "apache/kafka:4.1.1";

  private final KafkaContainer container;

  private TestcontainersKafka(KafkaContainer container) {
    this.container = container;
  }

  /** True when {@code kafka.test.broker=testcontainers} is set (property or KAFKA_TEST_BROKER). */
  static boolean requested() {
    String mode = System.getProperty(KafkaBrokerTestResource.MODE_PROPERTY, System.getenv("KAFKA_TEST_BROKER"));
    return "testcontainers".equalsIgnoreCase(mode);
  }

  static TestcontainersKafka start() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      throw new IllegalStateException(
          "kafka.test.broker=testcontainers was requested but no Docker engine is reachable; "
              + "drop the property to use the in-JVM broker");
    }
    KafkaContainer container = new KafkaContainer(IMAGE);
    BrokerSettings.singleNode()
        .forEach((key, value) -> container.withEnv("KAFKA_" + key.toUpperCase().replace('.', '_'), value));
    container.start();
    return new TestcontainersKafka(container);
  }

  String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public void close() {
    container.stop();
  }
}
