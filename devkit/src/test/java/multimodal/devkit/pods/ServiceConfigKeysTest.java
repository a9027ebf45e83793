package multimodal.devkit.pods;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceConfigKeysTest {
  @Test
  void aPlainKeyMatchesOnlyItsOwnEnvName() {
    var pattern = ServiceConfigKeys.envPattern("gateway.blobs.base-url");
    assertThat(pattern.matcher("GATEWAY_BLOBS_BASE_URL").matches()).isTrue();
    assertThat(pattern.matcher("GATEWAY_BLOBS_BASE_URLS").matches()).isFalse();
    assertThat(pattern.matcher("gateway_blobs_base_url").matches()).isFalse();
  }

  @Test
  void mapKeysMatchAnyNameInTheirPlace() {
    // SmallRye's own form (*) and the Quarkus config model's ("client-name").
    assertThat(
            ServiceConfigKeys.envPattern("gateway.auth.keys.*.sha256")
                .matcher("GATEWAY_AUTH_KEYS_LOCAL_SHA256")
                .matches())
        .isTrue();
    var quoted = ServiceConfigKeys.envPattern("quarkus.grpc.clients.\"client-name\".host");
    assertThat(quoted.matcher("QUARKUS_GRPC_CLIENTS_RETRIEVAL_HOST").matches()).isTrue();
    assertThat(quoted.matcher("QUARKUS_GRPC_CLIENTS_HOST").matches()).isFalse();
    assertThat(quoted.matcher("QUARKUS_GRPC_SERVER_HOST").matches()).isFalse();
  }

  @Test
  void listIndicesAreDigits() {
    var pattern = ServiceConfigKeys.envPattern("app.servers[*].port");
    assertThat(pattern.matcher("APP_SERVERS_0__PORT").matches()).isTrue();
    assertThat(pattern.matcher("APP_SERVERS_X__PORT").matches()).isFalse();
  }
}
