package multimodal.devkit.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Locale;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} a real Kafka broker and sets {@code kafka.bootstrap.servers} (which
 * also turns Quarkus Dev Services off).
 *
 * <p>{@code -Dkafka.test.broker} (or env {@code KAFKA_TEST_BROKER}) chooses the broker:
 *
 * <ul>
 *   <li>{@code auto} (default): the project's Kafka image through Testcontainers when a container
 *       engine answers and has the image ({@code bin/images build kafka}; CI builds it), else in
 *       the JVM;
 *   <li>{@code testcontainers}: the image, failing with the reason when it cannot;
 *   <li>{@code in-jvm}: a broker inside the test JVM ({@link InJvmKafkaBroker}), no engine needed.
 * </ul>
 *
 * <p>Usage: {@code @QuarkusTestResource(value = KafkaBrokerTestResource.class,
 * restrictToAnnotatedClass = false)}.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {
  public static final String MODE_PROPERTY = "kafka.test.broker";

  private AutoCloseable broker;

  @Override
  public Map<String, String> start() {
    String mode =
        System.getProperty(MODE_PROPERTY, System.getenv().getOrDefault("KAFKA_TEST_BROKER", "auto"))
            .toLowerCase(Locale.ROOT);
    String bootstrap =
        switch (mode) {
          case "in-jvm" -> inJvm();
          case "testcontainers" -> container(true);
          case "auto" -> container(false);
          default ->
              throw new IllegalArgumentException(
                  MODE_PROPERTY + "=" + mode + ": expected auto, testcontainers or in-jvm");
        };
    return Map.of("kafka.bootstrap.servers", bootstrap);
  }

  private String container(boolean required) {
    String image = TestcontainersKafka.image();
    if (!TestcontainersKafka.available(image)) {
      if (required) {
        throw new IllegalStateException(
            MODE_PROPERTY
                + "=testcontainers, but no container engine answers with image "
                + image
                + " (set DOCKER_HOST to a podman or Docker socket; build the image with bin/images"
                + " build kafka)");
      }
      return inJvm();
    }
    TestcontainersKafka container = TestcontainersKafka.start(image);
    broker = container;
    System.out.println(
        "[kafka-test-broker] " + image + " via Testcontainers on " + container.bootstrapServers());
    return container.bootstrapServers();
  }

  private String inJvm() {
    InJvmKafkaBroker inJvm = InJvmKafkaBroker.start();
    broker = inJvm;
    return inJvm.bootstrapServers();
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
