package multimodal.devkit.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} a real Kafka broker and sets {@code kafka.bootstrap.servers}
 * (which also turns Quarkus Dev Services off).
 *
 * <p>By default the broker runs in the test JVM ({@link InJvmKafkaBroker}), which needs no
 * Docker. With {@code -Dkafka.test.broker=testcontainers} (or env {@code KAFKA_TEST_BROKER}) and a
 * reachable Docker engine, Testcontainers' Kafka module is used instead.
 *
 * <p>Usage: {@code @QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = false)}.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {
  public static final String MODE_PROPERTY = "kafka.test.broker";

  private AutoCloseable broker;

  @Override
  public Map<String, String> start() {
    String bootstrap;
    if (TestcontainersKafka.requested()) {
      TestcontainersKafka container = TestcontainersKafka.start();
      broker = container;
      bootstrap = container.bootstrapServers();
    } else {
      InJvmKafkaBroker inJvm = InJvmKafkaBroker.start();
      broker = inJvm;
      bootstrap = inJvm.bootstrapServers();
    }
    return Map.of("kafka.bootstrap.servers", bootstrap);
  }

  @Override
  public void stop() {
    if (broker != null) {
      try {
        broker.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot stop the test Kafka broker", e);
      }
    }
  }
}
