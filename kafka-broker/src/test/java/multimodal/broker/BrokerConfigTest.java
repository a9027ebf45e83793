package multimodal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerConfigTest {

  @Test
  void loopbackBrokerAdvertisesWhereItListens() {
    Map<String, String> props =
        BrokerConfig.properties(BrokerOptions.parse(List.of("/d", "29092", "29093"), Map.of()));

    assertThat(props)
        .containsEntry("listeners", "PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093")
        .containsEntry(
            "advertised.listeners", "PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093")
        .containsEntry("controller.quorum.bootstrap.servers", "127.0.0.1:29093")
        .containsEntry("node.id", "1")
        .containsEntry("log.dirs", Path.of("/d/kraft-logs").toString())
        .containsAllEntriesOf(BrokerSettings.singleNode());
  }

  @Test
  void wildcardBrokerAdvertisesItsNameAndReachesItsControllerOnLoopback() {
    BrokerOptions options =
        BrokerOptions.parse(
            List.of("/d"),
            Map.of(
                "KAFKA_LISTEN_HOST",
                "0.0.0.0",
                "KAFKA_ADVERTISED_HOST",
                "kafka",
                "KAFKA_NODE_ID",
                "3"));

    Map<String, String> props = BrokerConfig.properties(options);

    assertThat(props)
        .containsEntry("listeners", "PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093")
        .containsEntry("advertised.listeners", "PLAINTEXT://kafka:9092,CONTROLLER://127.0.0.1:9093")
        .containsEntry("controller.quorum.bootstrap.servers", "127.0.0.1:9093")
        .containsEntry("node.id", "3");
  }

  @Test
  void writesAPropertiesFileKafkaCanRead(@TempDir Path dir) throws Exception {
    BrokerOptions options = BrokerOptions.parse(List.of(dir.toString()), Map.of());

    Path file = BrokerConfig.write(options);

    Properties read = new Properties();
    try (var in = Files.newBufferedReader(file)) {
      read.load(in);
    }
    assertThat(read).containsAllEntriesOf(BrokerConfig.properties(options));
    assertThat(BrokerConfig.logDir(options)).isDirectory();
  }
}
