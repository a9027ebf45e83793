package multimodal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerOptionsTest {

  @Test
  void commandLineOfTheLocalRunKeepsItsMeaning() {
    BrokerOptions options =
        BrokerOptions.parse(List.of(".local/kafka", "19092", "19093"), Map.of());

    assertThat(options.dataDir()).isEqualTo(Path.of(".local/kafka").toAbsolutePath());
    assertThat(options.listenHost()).isEqualTo("127.0.0.1");
    assertThat(options.port()).isEqualTo(19092);
    assertThat(options.controllerPort()).isEqualTo(19093);
    assertThat(options.advertisedHost()).isEqualTo("127.0.0.1");
    assertThat(options.advertisedPort()).isEqualTo(19092);
    assertThat(options.nodeId()).isEqualTo(1);
    assertThat(options.clusterId()).isEqualTo(BrokerOptions.DEFAULT_CLUSTER_ID);
  }

  @Test
  void dataFolderAloneTakesTheDefaultPorts() {
    BrokerOptions options = BrokerOptions.parse(List.of("/tmp/k"), Map.of());

    assertThat(options.port()).isEqualTo(9092);
    assertThat(options.controllerPort()).isEqualTo(9093);
  }

  @Test
  void environmentConfiguresTheContainer() {
    Map<String, String> env =
        Map.of(
            "KAFKA_DATA_DIR", "/var/lib/kafka",
            "KAFKA_LISTEN_HOST", "0.0.0.0",
            "KAFKA_LISTEN_PORT", "29092",
            "KAFKA_ADVERTISED_HOST", "kafka.multimodal.svc",
            "KAFKA_ADVERTISED_PORT", "39092",
            "KAFKA_CONTROLLER_PORT", "29093",
            "KAFKA_NODE_ID", "7",
            "KAFKA_CLUSTER_ID", "q1Sh-9_ISia_zwGINzRvyQ");

    BrokerOptions options = BrokerOptions.parse(List.of(), env);

    assertThat(options)
        .isEqualTo(
            new BrokerOptions(
                Path.of("/var/lib/kafka"),
                "0.0.0.0",
                29092,
                "kafka.multimodal.svc",
                39092,
                29093,
                7,
                "q1Sh-9_ISia_zwGINzRvyQ"));
    assertThat(options.localHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void argumentsWinOverTheEnvironment() {
    Map<String, String> env =
        Map.of(
            "KAFKA_DATA_DIR",
            "/from/env",
            "KAFKA_LISTEN_PORT",
            "1111",
            "KAFKA_CONTROLLER_PORT",
            "2222");

    BrokerOptions options = BrokerOptions.parse(List.of("/from/args", "3333", "4444"), env);

    assertThat(options.dataDir()).isEqualTo(Path.of("/from/args"));
    assertThat(options.port()).isEqualTo(3333);
    assertThat(options.controllerPort()).isEqualTo(4444);
  }

  @Test
  void shortPortNameIsReadWhenTheLongOneIsUnset() {
    assertThat(BrokerOptions.parse(List.of("/d"), Map.of("KAFKA_PORT", "19092")).port())
        .isEqualTo(19092);
    assertThat(
            BrokerOptions.parse(
                    List.of("/d"), Map.of("KAFKA_PORT", "19092", "KAFKA_LISTEN_PORT", "29092"))
                .port())
        .isEqualTo(29092);
  }

  @Test
  void serviceLinkInTheShortNameIsIgnoredWhenTheLongOneIsSet() {
    Map<String, String> env =
        Map.of("KAFKA_PORT", "tcp://10.0.0.7:9092", "KAFKA_LISTEN_PORT", "9092");

    assertThat(BrokerOptions.parse(List.of("/d"), env).port()).isEqualTo(9092);
    assertThatThrownBy(
            () -> BrokerOptions.parse(List.of("/d"), Map.of("KAFKA_PORT", "tcp://10.0.0.7:9092")))
        .hasMessageContaining("KAFKA_PORT=tcp://10.0.0.7:9092 is not a number")
        .hasMessageContaining("enableServiceLinks");
  }

  @Test
  void blankVariablesCountAsUnset() {
    BrokerOptions options =
        BrokerOptions.parse(
            List.of("/d"), Map.of("KAFKA_LISTEN_HOST", " ", "KAFKA_LISTEN_PORT", ""));

    assertThat(options.listenHost()).isEqualTo("127.0.0.1");
    assertThat(options.port()).isEqualTo(9092);
  }

  @Test
  void refusesAMissingDataFolder() {
    assertThatThrownBy(() -> BrokerOptions.parse(List.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KAFKA_DATA_DIR");
  }

  @Test
  void refusesAWildcardListenerWithoutAnAdvertisedHost() {
    assertThatThrownBy(
            () -> BrokerOptions.parse(List.of("/d"), Map.of("KAFKA_LISTEN_HOST", "0.0.0.0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KAFKA_ADVERTISED_HOST");
  }

  @Test
  void refusesAKubernetesServiceLinkAsPort() {
    assertThatThrownBy(
            () ->
                BrokerOptions.parse(
                    List.of("/d"), Map.of("KAFKA_CONTROLLER_PORT", "tcp://10.0.0.7:9093")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KAFKA_CONTROLLER_PORT=tcp://10.0.0.7:9093 is not a number")
        .hasMessageContaining("enableServiceLinks");
  }

  @Test
  void refusesPortsOutOfRangeAndOneSharedPort() {
    assertThatThrownBy(() -> BrokerOptions.parse(List.of("/d", "70000"), Map.of()))
        .hasMessageContaining("not a TCP port");
    assertThatThrownBy(() -> BrokerOptions.parse(List.of("/d", "9092", "9092"), Map.of()))
        .hasMessageContaining("two ports");
    assertThatThrownBy(() -> BrokerOptions.parse(List.of("/d", "1", "2", "3"), Map.of()))
        .hasMessageContaining("too many arguments");
  }

  @Test
  void refusesANegativeNodeId() {
    assertThatThrownBy(() -> BrokerOptions.parse(List.of("/d"), Map.of("KAFKA_NODE_ID", "-1")))
        .hasMessageContaining("KAFKA_NODE_ID=-1 must not be negative");
  }
}
