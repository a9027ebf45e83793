package multimodal.systemtest.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import multimodal.systemtest.PlatformClient;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A raw Kafka producer on media.ingest.v1: malformed CloudEvents, producers writing tenants they
 * may not, items and tombstones aimed at another tenant's id. Each bad record is a dead letter with
 * its reason, and the consumers go on: a good record written after it is indexed.
 */
@ExtendWith(HostileSuite.class)
class HostileKafkaIT {
  private static HostileWorld world;

  /**
   * An item of acme's of this class's own, so that the attacker's item under its id troubles no
   * other class.
   */
  private static String victimId;

  @BeforeAll
  static void world(HostileWorld w) throws Exception {
    world = w;
    var upload =
        w.victim()
            .upload(
                Images.form(
                    "kafka-victim.png",
                    "image/png",
                    Images.distinctPng(),
                    Map.of("metadata", "{\"owner\":\"acme\"}")));
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
    victimId = Rest.json(upload).path("mediaId").asText();
    await("acme's item indexed")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> w.victim().get("/v1/media/" + victimId).body().contains("\"indexed\""));
  }

  @AfterEach
  void victimIntact() throws Exception {
    var status = Rest.json(world.victim().get("/v1/media/" + victimId));
    assertThat(status.path("tenant").asText()).isEqualTo("acme");
    assertThat(status.path("state").asText()).isEqualTo("indexed");
    assertThat(status.path("metadata").path("owner").asText()).isEqualTo("acme");
    assertThat(world.victim().searchIds("a photo")).contains(victimId);
    world.assertVictimIntact();
  }

  /** A good structured event as a map, to be broken one attribute at a time. */
  private static ObjectNode goodEnvelope(String id) throws Exception {
    IngestEvent event =
        new IngestEvent(
            UUID.randomUUID().toString(),
            HostileWorld.TRUSTED_SOURCE,
            Instant.now(),
            id,
            "mallory",
            "image/png",
            null,
            Images.distinctPng(),
            Map.of(),
            List.of());
    return (ObjectNode)
        PlatformClient.JSON.readTree(new IngestEventCodec().encodeStructured(event));
  }

  /**
   * Sends a record and waits for its dead letter on the encoder's topic; then a good record after
   * it must be indexed.
   */
  private static String deadLetterThenKeepsGoing(
      String id, byte[] value, Map<String, String> headers) throws Exception {
    world.kafka().send(id, value, headers);
    String reason = world.kafka().awaitDeadLetter(Topics.MEDIA_INGEST_ENCODER_DLQ, id).reason();
    assertThat(reason).isNotBlank();
    String good = "hostile-good-" + UUID.randomUUID();
    world
        .kafka()
        .sendStructured(
            new IngestEvent(
                UUID.randomUUID().toString(),
                HostileWorld.TRUSTED_SOURCE,
                Instant.now(),
                good,
                "mallory",
                "image/png",
                null,
                Images.distinctPng(),
                Map.of(),
                List.of()));
    await("a good record after the bad one is indexed")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> world.attacker().embedded(good));
    assertThat(world.attacker().get("/v1/media/" + id).statusCode())
        .as("the bad record made no item")
        .isEqualTo(404);
    return reason;
  }

  private static Map<String, String> structured() {
    return Map.of("content-type", IngestEventCodec.STRUCTURED_CONTENT_TYPE);
  }

  @ParameterizedTest(name = "envelope with {0} = {1} is dead-lettered: {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "specversion | 0.3 | unsupported CloudEvents specversion",
        "specversion | <remove> | not a CloudEvent",
        "id | <remove> | missing CloudEvents attribute 'id'",
        "source | <remove> | missing CloudEvents attribute 'source'",
        "type | <remove> | missing CloudEvents attribute 'type'",
        "type | com.example.other | unexpected event type",
        "time | yesterday | RFC 3339",
        "data | <remove> | 'data' must be a JSON object",
      })
  void malformedEnvelopes(String attribute, String value, String reason) throws Exception {
    String id = "hostile-envelope-" + UUID.randomUUID();
    ObjectNode envelope = goodEnvelope(id);
    if (value.equals("<remove>")) {
      envelope.remove(attribute);
    } else {
      envelope.put(attribute, value);
    }
    assertThat(
            deadLetterThenKeepsGoing(
                id, PlatformClient.JSON.writeValueAsBytes(envelope), structured()))
        .contains(reason);
  }

  @ParameterizedTest(name = "data.tenant {0} is dead-lettered")
  @ValueSource(strings = {"Mixed.Co", "../acme", "-acme", "acme\u001fx", ""})
  void tenantsOutsideTheGrammar(String tenant) throws Exception {
    String id = "hostile-tenant-" + UUID.randomUUID();
    ObjectNode envelope = goodEnvelope(id);
    ((ObjectNode) envelope.get("data")).put("tenant", tenant);
    assertThat(
            deadLetterThenKeepsGoing(
                id, PlatformClient.JSON.writeValueAsBytes(envelope), structured()))
        .contains("data.tenant");
  }

  @Test
  void notJsonAtAll() throws Exception {
    String id = "hostile-notjson-" + UUID.randomUUID();
    assertThat(
            deadLetterThenKeepsGoing(
                id, "\u0000\u0001 not json".getBytes(StandardCharsets.UTF_8), structured()))
        .containsIgnoringCase("JSON");
  }

  @Test
  void bothUriAndBytes() throws Exception {
    String id = "hostile-both-" + UUID.randomUUID();
    ObjectNode envelope = goodEnvelope(id);
    ((ObjectNode) envelope.get("data")).put("uri", "https://example.com/a.png");
    assertThat(
            deadLetterThenKeepsGoing(
                id, PlatformClient.JSON.writeValueAsBytes(envelope), structured()))
        .contains("exactly one of");
  }

  @Test
  void recordKeyThatDiffersFromTheMediaId() throws Exception {
    String id = "hostile-key-" + UUID.randomUUID();
    ObjectNode envelope = goodEnvelope(victimId);
    assertThat(
            deadLetterThenKeepsGoing(
                id, PlatformClient.JSON.writeValueAsBytes(envelope), structured()))
        .contains("differs from data.mediaId");
  }

  @Test
  void binaryModeWithoutASource() throws Exception {
    String id = "hostile-binary-" + UUID.randomUUID();
    IngestEvent event =
        new IngestEvent(
            UUID.randomUUID().toString(),
            HostileWorld.TRUSTED_SOURCE,
            Instant.now(),
            id,
            "mallory",
            "image/png",
            null,
            Images.distinctPng(),
            Map.of(),
            List.of());
    IngestEventCodec codec = new IngestEventCodec();
    Map<String, String> headers = new HashMap<>(codec.binaryHeaders(event));
    headers.remove("ce_source");
    assertThat(deadLetterThenKeepsGoing(id, codec.encodeBinaryData(event), headers))
        .contains("'source'");
  }

  @Test
  void inlineBytesThatAreNotBase64() throws Exception {
    String id = "hostile-base64-" + UUID.randomUUID();
    ObjectNode envelope = goodEnvelope(id);
    ((ObjectNode) envelope.get("data")).put("bytes", "!!!not base64!!!");
    assertThat(
            deadLetterThenKeepsGoing(
                id, PlatformClient.JSON.writeValueAsBytes(envelope), structured()))
        .contains("not valid base64");
  }

  @Test
  void aDataContentTypeOtherThanJson() throws Exception {
    String id = "hostile-datacontenttype-" + UUID.randomUUID();
    ObjectNode envelope = goodEnvelope(id);
    envelope.put("datacontenttype", "text/plain");
    assertThat(
            deadLetterThenKeepsGoing(
                id, PlatformClient.JSON.writeValueAsBytes(envelope), structured()))
        .contains("datacontenttype");
  }

  @Test
  void aProducerWritingATenantItMayNotIsRefused() throws Exception {
    String id = "hostile-rule-" + UUID.randomUUID();
    ObjectNode envelope = goodEnvelope(id);
    envelope.put("source", HostileWorld.ACME_SOURCE);
    assertThat(
            deadLetterThenKeepsGoing(
                id, PlatformClient.JSON.writeValueAsBytes(envelope), structured()))
        .contains("not allowed to write tenant 'mallory'");
  }

  @Test
  void anUnlistedProducerIsRefused() throws Exception {
    String id = "hostile-rogue-" + UUID.randomUUID();
    ObjectNode envelope = goodEnvelope(id);
    envelope.put("source", "/rogue");
    assertThat(
            deadLetterThenKeepsGoing(
                id, PlatformClient.JSON.writeValueAsBytes(envelope), structured()))
        .contains("not allowed to write any tenant");
  }

  @Test
  void anEventOfAnotherTenantWithTheVictimsIdMakesTheAttackersOwnItem() throws Exception {
    IngestEvent takeover =
        new IngestEvent(
            UUID.randomUUID().toString(),
            HostileWorld.TRUSTED_SOURCE,
            Instant.now(),
            victimId,
            "mallory",
            "image/png",
            null,
            Images.distinctPng(),
            Map.of("owner", "mallory"),
            List.of());
    world.kafka().sendStructured(takeover);
    await("mallory's own item under the same id")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> world.attacker().get("/v1/media/" + victimId).body().contains("\"indexed\""));
    assertThat(
            Rest.json(world.attacker().get("/v1/media/" + victimId))
                .path("metadata")
                .path("owner")
                .asText())
        .isEqualTo("mallory");
    // and acme's item is acme's, unchanged (the @AfterEach check reads its tenant, metadata and
    // bytes)
  }

  private static void tombstone(String key, Map<String, String> headers) throws Exception {
    world.kafka().send(key, null, headers);
  }

  @Test
  void aTombstoneOfAnotherTenantDeletesNothingOfTheVictims() throws Exception {
    tombstone(victimId, Map.of("tenant", "mallory", "ce_source", HostileWorld.TRUSTED_SOURCE));
    awaitTombstonesRead();
  }

  @Test
  void aTombstoneWithoutATenantDeletesNothingOfTheVictims() throws Exception {
    tombstone(victimId, Map.of("ce_source", HostileWorld.TRUSTED_SOURCE));
    awaitTombstonesRead();
  }

  @Test
  void aTombstoneForTheVictimFromAProducerNotAllowedIsDeadLettered() throws Exception {
    String id = victimId;
    int before = world.kafka().deadLettersOf(id).size();
    tombstone(id, Map.of("tenant", "acme", "ce_source", "/rogue"));
    await("the tombstone's dead letter")
        .atMost(Duration.ofSeconds(60))
        .until(() -> world.kafka().deadLettersOf(id).size() > before);
    assertThat(world.kafka().deadLettersOf(id).get(before).reason()).contains("not allowed");
  }

  @Test
  void aTombstoneWithAMalformedTenantIsDeadLettered() throws Exception {
    String id = victimId;
    int before = world.kafka().deadLettersOf(id).size();
    tombstone(id, Map.of("tenant", "ACME!", "ce_source", HostileWorld.TRUSTED_SOURCE));
    await("the tombstone's dead letter")
        .atMost(Duration.ofSeconds(60))
        .until(() -> world.kafka().deadLettersOf(id).size() > before);
    assertThat(world.kafka().deadLettersOf(id).get(before).reason()).containsIgnoringCase("tenant");
  }

  /**
   * Waits until retrieval has read past the tombstone: a deletion of the attacker's own marker
   * item, written after it, has taken effect (one partition per key, so same key = same order).
   */
  private static void awaitTombstonesRead() throws Exception {
    String marker = victimId;
    IngestEvent mine =
        new IngestEvent(
            UUID.randomUUID().toString(),
            HostileWorld.TRUSTED_SOURCE,
            Instant.now(),
            marker,
            "mallory",
            "image/png",
            null,
            Images.distinctPng(),
            Map.of("marker", "after-tombstone"),
            List.of());
    world.kafka().sendStructured(mine);
    await("retrieval read past the tombstone")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> world.attacker().get("/v1/media/" + marker).body().contains("after-tombstone"));
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
