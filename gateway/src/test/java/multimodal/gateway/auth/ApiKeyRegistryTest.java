package multimodal.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import multimodal.gateway.config.GatewayConfig;
import multimodal.v1.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyRegistryTest {

  private static GatewayConfig.Key key(String sha256, String tenant) {
    return new GatewayConfig.Key() {
      @Override
      public String sha256() {
        return sha256;
      }

      @Override
      public String tenant() {
        return tenant;
      }

      @Override
      public Optional<Double> rateLimitPerSecond() {
        return Optional.empty();
      }

      @Override
      public Optional<Integer> rateLimitBurst() {
        return Optional.of(7);
      }
    };
  }

  @Test
  void knowsKeysOnlyByTheirDigest(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("keys"),
            "# digest tenant name\n" + ApiKeyRegistry.digest("file-secret") + "  acme  ci-key\n\n");
    ApiKeyRegistry registry =
        new ApiKeyRegistry(
            Map.of("demo", key(ApiKeyRegistry.digest("config-secret"), "default")),
            Optional.of(file),
            5,
            10);

    assertThat(registry.authenticate("config-secret"))
        .get()
        .satisfies(
            c -> {
              assertThat(c.tenant()).isEqualTo("default");
              assertThat(c.keyName()).isEqualTo("demo");
              assertThat(c.burst()).isEqualTo(7);
              assertThat(c.ratePerSecond()).isEqualTo(5);
            });
    assertThat(registry.authenticate(" file-secret "))
        .get()
        .extracting(Caller::tenant)
        .isEqualTo("acme");
    assertThat(registry.authenticate("file-secret").get().keyName()).isEqualTo("ci-key");
    assertThat(registry.authenticate("wrong")).isEmpty();
    assertThat(registry.authenticate(null)).isEmpty();
    // The digest itself is not a key.
    assertThat(registry.authenticate(ApiKeyRegistry.digest("config-secret"))).isEmpty();
    assertThat(registry.authenticate("config-secret").get().toString())
        .doesNotContain("config-secret");
  }

  @Test
  void refusesPlainKeysAndOddTenantsInConfiguration() {
    assertThatThrownBy(
            () ->
                new ApiKeyRegistry(Map.of("k", key("plain-text-key", "t")), Optional.empty(), 1, 1))
        .hasMessageContaining("64 hex digits");
    assertThatThrownBy(
            () ->
                new ApiKeyRegistry(
                    Map.of("k", key(ApiKeyRegistry.digest("x"), "../etc")), Optional.empty(), 1, 1))
        .hasMessageContaining("tenant");
  }

  /**
   * The gateway once took "Mixed.Co"; the ingest contract never did, so its uploads were
   * dead-lettered.
   */
  @Test
  void refusesAConfiguredKeyWhoseTenantTheIngestContractRefuses() {
    assertThatThrownBy(
            () ->
                new ApiKeyRegistry(
                    Map.of("ops", key(ApiKeyRegistry.digest("x"), "Mixed.Co")),
                    Optional.empty(),
                    1,
                    1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gateway.auth.keys.ops")
        .hasMessageContaining("'Mixed.Co'")
        .hasMessageContaining(TenantId.GRAMMAR);
  }

  @Test
  void refusesAKeysFileLineWhoseTenantTheIngestContractRefuses(@TempDir Path dir)
      throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("keys"),
            ApiKeyRegistry.digest("good")
                + " acme\n"
                + ApiKeyRegistry.digest("bad")
                + " Acme_Corp partner\n");

    assertThatThrownBy(() -> new ApiKeyRegistry(Map.of(), Optional.of(file), 1, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file + ":2")
        .hasMessageContaining("'partner'")
        .hasMessageContaining("'Acme_Corp'")
        .hasMessageContaining(TenantId.GRAMMAR);
  }

  @Test
  void digestMatchesSha256sum() {
    // printf %s demo-key-change-me | sha256sum
    assertThat(ApiKeyRegistry.digest("demo-key-change-me"))
        .isEqualTo("090d1548c9d65f413a1a2c828a0bee3a7ae02d2137caf51e6029e6c3cb1f1fa4");
  }
}
