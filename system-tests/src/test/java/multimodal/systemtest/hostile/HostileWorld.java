package multimodal.systemtest.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import multimodal.systemtest.PlatformClient;
import multimodal.systemtest.RunningPlatform;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every hostile case attacks: one running platform with two tenants, the victim {@code acme}
 * and the attacker {@code mallory}, each with its own API key, the victim's item indexed and
 * captioned before the first case, Kafka clients on the broker, and a loopback HTTP server that
 * counts the requests that reach it (the target of the SSRF cases: nothing may reach it).
 */
final class HostileWorld implements ExtensionContext.Store.CloseableResource, AutoCloseable {
  static final String VICTIM_TENANT = "acme";
  static final String ATTACKER_TENANT = "mallory";
  static final String VICTIM_KEY = "acme-key-" + "7f3a9c21d4e8";
  static final String ATTACKER_KEY = "mallory-key-" + "b6e0f2a7c913";

  /**
   * A third tenant whose key has a tiny rate limit, to see what a refusal puts into the metrics.
   */
  static final String THROTTLED_TENANT = "throttled-co";

  static final String THROTTLED_KEY = "throttled-key-" + "5d1c88e0a4b2";

  /** Producers the consumers know: the gateway, a trusted ingestion system, one bound to acme. */
  static final String GATEWAY_SOURCE = "/gateway";

  static final String TRUSTED_SOURCE = "/trusted-ingest";
  static final String ACME_SOURCE = "/acme-sync";

  private final RunningPlatform platform;
  private final Rest victim;
  private final Rest attacker;
  private final KafkaSide kafka;
  private final LoopbackServer loopback;
  private final VictimItem victimItem;

  private HostileWorld(
      RunningPlatform platform,
      Rest victim,
      Rest attacker,
      KafkaSide kafka,
      LoopbackServer loopback,
      VictimItem victimItem) {
    this.platform = platform;
    this.victim = victim;
    this.attacker = attacker;
    this.kafka = kafka;
    this.loopback = loopback;
    this.victimItem = victimItem;
  }

  /**
   * The victim's item: its media id, the SHA-256 of its bytes, its bytes and its signed claim-check
   * URL.
   */
  record VictimItem(String mediaId, String sha256, byte[] bytes, String signedUrl) {}

  static HostileWorld start() {
    RunningPlatform platform = null;
    try {
      platform =
          RunningPlatform.start(
              List.of(
                  new RunningPlatform.ApiKey("acme", VICTIM_KEY, VICTIM_TENANT),
                  new RunningPlatform.ApiKey("mallory", ATTACKER_KEY, ATTACKER_TENANT),
                  new RunningPlatform.ApiKey("throttled", THROTTLED_KEY, THROTTLED_TENANT)),
              settings(),
              RunningPlatform.LOGS.resolve("hostile"));
      Rest victim = new Rest(platform.gatewayUrl(), VICTIM_KEY);
      Rest attacker = new Rest(platform.gatewayUrl(), ATTACKER_KEY);
      KafkaSide kafka = KafkaSide.start(platform.kafkaBootstrap());
      LoopbackServer loopback = LoopbackServer.start();
      VictimItem item = uploadVictimItem(victim, kafka);
      return new HostileWorld(platform, victim, attacker, kafka, loopback, item);
    } catch (Exception e) {
      if (platform != null) {
        try {
          platform.close();
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }
      throw new IllegalStateException("the hostile suite's platform did not start", e);
    }
  }

  /**
   * The suite's configuration: the producer rule on in every consumer of media.ingest.v1 (who may
   * write which tenant), loopback and private addresses refused by the fetchers (their default,
   * stated here so that the suite does not depend on it), and a rate limit high enough for the
   * suite's own pace.
   */
  private static Map<String, Map<String, String>> settings() {
    Map<String, String> gateway =
        Map.of(
            "gateway.auth.rate-limit-per-second", "1000",
            "gateway.auth.rate-limit-burst", "1000",
            "gateway.auth.keys.throttled.rate-limit-per-second", "0.01",
            "gateway.auth.keys.throttled.rate-limit-burst", "1",
            // short, so that the slow-loris case is over in seconds
            "gateway.upload.body-timeout", "5s");
    return Map.of(
        RunningPlatform.ENCODER, workerSettings("encoder"),
        RunningPlatform.GENERATOR, workerSettings("generator"),
        RunningPlatform.RETRIEVAL, producerRule("retrieval"),
        RunningPlatform.GATEWAY, gateway);
  }

  private static Map<String, String> workerSettings(String prefix) {
    Map<String, String> settings = new java.util.HashMap<>(producerRule(prefix));
    settings.put(prefix + ".fetch.allow-private-addresses", "false");
    settings.put(prefix + ".fetch.connect-timeout", "2s");
    settings.put(prefix + ".fetch.read-timeout", "5s");
    settings.put(prefix + ".fetch.attempts", "1");
    return settings;
  }

  private static Map<String, String> producerRule(String prefix) {
    return Map.of(
        prefix + ".producers.\"" + GATEWAY_SOURCE + "\".tenants", "*",
        prefix + ".producers.\"" + TRUSTED_SOURCE + "\".tenants", "*",
        prefix + ".producers.\"" + ACME_SOURCE + "\".tenants", VICTIM_TENANT);
  }

  private static VictimItem uploadVictimItem(Rest victim, KafkaSide kafka) throws Exception {
    byte[] bytes = PlatformClient.solidPng(new Color(220, 20, 20));
    HttpResponse<String> upload =
        victim.upload(
            Images.form(
                "victim.png", "image/png", bytes, Map.of("metadata", "{\"owner\":\"acme\"}")));
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
    String mediaId = PlatformClient.JSON.readTree(upload.body()).path("mediaId").asText();
    await("the victim's item is indexed and captioned")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              JsonNode status =
                  PlatformClient.JSON.readTree(victim.get("/v1/media/" + mediaId).body());
              assertThat(status.path("state").asText()).isEqualTo("indexed");
              assertThat(status.path("embeddedBy").size()).isPositive();
              assertThat(status.path("caption").asText()).isNotBlank();
            });
    String signedUrl = kafka.ingestEvent(mediaId).uri();
    return new VictimItem(mediaId, Images.sha256(bytes), bytes, signedUrl);
  }

  RunningPlatform platform() {
    return platform;
  }

  /** The victim tenant's REST client. */
  Rest victim() {
    return victim;
  }

  /** The attacker tenant's REST client. */
  Rest attacker() {
    return attacker;
  }

  KafkaSide kafka() {
    return kafka;
  }

  LoopbackServer loopback() {
    return loopback;
  }

  VictimItem victimItem() {
    return victimItem;
  }

  String gatewayUrl() {
    return platform.gatewayUrl();
  }

  /**
   * Nothing of the victim's was lost: its owner still reads its status (its tenant, its metadata,
   * indexed), its bytes, and finds it by search.
   */
  void assertVictimIntact() throws Exception {
    HttpResponse<String> status = victim.get("/v1/media/" + victimItem.mediaId());
    assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    JsonNode item = PlatformClient.JSON.readTree(status.body());
    assertThat(item.path("tenant").asText()).isEqualTo(VICTIM_TENANT);
    assertThat(item.path("state").asText()).isEqualTo("indexed");
    assertThat(item.path("metadata").path("owner").asText()).isEqualTo("acme");
    HttpResponse<byte[]> content =
        victim.getBytes("/v1/media/" + victimItem.mediaId() + "/content");
    assertThat(content.statusCode()).isEqualTo(200);
    assertThat(content.body()).isEqualTo(victimItem.bytes());
    assertThat(victim.searchIds("something red")).contains(victimItem.mediaId());
  }

  /** The attacker's searches never return the victim's item. */
  void assertAttackerCannotFindVictim() throws Exception {
    assertThat(attacker.searchIds("something red")).doesNotContain(victimItem.mediaId());
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws Exception {
    loopback.close();
    kafka.close();
    platform.close();
  }
}
