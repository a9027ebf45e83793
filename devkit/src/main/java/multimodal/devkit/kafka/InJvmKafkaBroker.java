package multimodal.devkit.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import multimodal.broker.BrokerSettings;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real KRaft broker (one combined broker+controller node) inside the current JVM, listening on
 * 127.0.0.1 with an ephemeral port. For tests; its data lives in a temporary directory removed on
 * {@link #close()}.
 */
public final class InJvmKafkaBroker implements AutoCloseable {
  private final KafkaClusterTestKit cluster;
  private final Path baseDir;

  private InJvmKafkaBroker(KafkaClusterTestKit cluster, Path baseDir) {
    this.cluster = cluster;
    this.baseDir = baseDir;
  }

  /** Formats storage, starts the node and waits until the broker accepts clients. */
  public static InJvmKafkaBroker start() {
    Path baseDir = null;
    try {
      baseDir = Files.createTempDirectory("kafka-test-");
      TestKitNodes nodes =
          new TestKitNodes.Builder()
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1)
              .setBaseDirectory(baseDir)
              .build();
      KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
      BrokerSettings.singleNode().forEach(builder::setConfigProp);
      KafkaClusterTestKit cluster = builder.build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new InJvmKafkaBroker(cluster, baseDir);
    } catch (Exception e) {
      deleteQuietly(baseDir);
      throw new IllegalStateException("cannot start the in-JVM Kafka broker", e);
    }
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the in-JVM Kafka broker", e);
    } finally {
      deleteQuietly(baseDir);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception ignored) {
      // best effort: a temp dir left behind is harmless
    }
  }
}
