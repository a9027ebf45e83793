package multimodal.devkit.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Properties;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The project's own Kafka image ({@code bin/images build kafka}) started by Testcontainers through
 * whatever engine it finds (a podman socket in {@code DOCKER_HOST}, or Docker).
 *
 * <p>Host networking with a free loopback port chosen here, so the broker can advertise the address
 * clients use and nothing listens beyond 127.0.0.1 (a mapped port would bind every interface).
 */
final class TestcontainersKafka implements AutoCloseable {
  /**
   * The image the build makes; {@code -Dkafka.test.image} names another with the same env contract.
   */
  static final String IMAGE_PROPERTY = "kafka.test.image";

  private final GenericContainer<?> container;
  private final int port;

  private TestcontainersKafka(GenericContainer<?> container, int port) {
    this.container = container;
    this.port = port;
  }

  /**
   * The image to start: {@code -Dkafka.test.image}, else the one this build's {@code bin/images}
   * tags.
   */
  static String image() {
    String configured = System.getProperty(IMAGE_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    Properties build = new Properties();
    try (InputStream in = TestcontainersKafka.class.getResourceAsStream("kafka-image.properties")) {
      build.load(in);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException(
          "devkit's kafka-image.properties is missing from the build", e);
    }
    return build.getProperty("image");
  }

  /**
   * Whether an engine answers and has the image locally (nothing is pulled: registries may be out
   * of reach).
   */
  static boolean available(String image) {
    try {
      if (!DockerClientFactory.instance().isDockerAvailable()) {
        return false;
      }
      DockerClientFactory.instance().client().inspectImageCmd(image).exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  static TestcontainersKafka start(String image) {
    int port = freeLoopbackPort();
    int controllerPort = freeLoopbackPort();
    GenericContainer<?> container =
        new GenericContainer<>(DockerImageName.parse(image))
            .withNetworkMode("host")
            .withEnv("KAFKA_LISTEN_HOST", "127.0.0.1")
            .withEnv("KAFKA_ADVERTISED_HOST", "127.0.0.1")
            .withEnv("KAFKA_PORT", Integer.toString(port))
            .withEnv("KAFKA_CONTROLLER_PORT", Integer.toString(controllerPort))
            .waitingFor(
                Wait.forLogMessage(".*Kafka Server started.*", 1)
                    .withStartupTimeout(Duration.ofMinutes(2)));
    container.start();
    return new TestcontainersKafka(container, port);
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    container.stop();
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }
}
