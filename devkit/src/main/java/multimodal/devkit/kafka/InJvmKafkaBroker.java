package multimodal.devkit.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import multimodal.broker.BrokerSettings;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
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

  /** The super user of {@link #startWithSaslPlain()}: may do anything. */
  public static final String SASL_ADMIN = JaasUtils.KAFKA_PLAIN_ADMIN;

  public static final String SASL_ADMIN_PASSWORD = JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD;

  /**
   * A second user of {@link #startWithSaslPlain()}: authenticates, but no ACL allows it anything.
   */
  public static final String SASL_USER = JaasUtils.KAFKA_PLAIN_USER1;

  public static final String SASL_USER_PASSWORD = JaasUtils.KAFKA_PLAIN_USER1_PASSWORD;

  /** Formats storage, starts the node and waits until the broker accepts clients. */
  public static InJvmKafkaBroker start() {
    return start(SecurityProtocol.PLAINTEXT);
  }

  /**
   * A broker whose client listener takes SASL/PLAIN only, with authorization on (no ACL: only
   * {@link #SASL_ADMIN} may act): for tests that a client really authenticates with the settings it
   * is given. Kafka's test kit sets the JVM's {@code java.security.auth.login.config} to the
   * broker's own JAAS file; clients here pass {@code sasl.jaas.config} and are not affected.
   */
  public static InJvmKafkaBroker startWithSaslPlain() {
    return start(SecurityProtocol.SASL_PLAINTEXT);
  }

  /** The client settings of {@code user} on a {@link #startWithSaslPlain()} broker. */
  public static Map<String, String> saslPlainClientSettings(String user, String password) {
    return Map.of(
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        "PLAIN",
        "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
  }

  private static InJvmKafkaBroker start(SecurityProtocol protocol) {
    Path baseDir = null;
    try {
      baseDir = Files.createTempDirectory("kafka-test-");
      TestKitNodes nodes =
          new TestKitNodes.Builder()
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1)
              .setBaseDirectory(baseDir)
              .setBrokerSecurityProtocol(protocol)
              // The broker registers with the controller as a client: the same logins there.
              .setControllerSecurityProtocol(protocol)
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
