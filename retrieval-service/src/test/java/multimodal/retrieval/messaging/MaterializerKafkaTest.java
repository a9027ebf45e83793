package multimodal.retrieval.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import com.google.protobuf.Timestamp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.retrieval.TempIndexDirResource;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.retrieval.index.MediaItem;
import multimodal.v1.Embedding;
import multimodal.v1.MediaCaptionEvent;
import multimodal.v1.MediaEmbeddingEvent;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The application's wiring against a real broker: the materialiser starts with the app, applies all
 * three topics into one item, deletes on a tombstone and dead-letters poison records. (Crash
 * recovery and sharding are covered without Quarkus in {@link IndexMaterializerTest}.)
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TempIndexDirResource.class, restrictToAnnotatedClass = true)
class MaterializerKafkaTest {
  static final Duration PATIENCE = Duration.ofSeconds(60);

  @Inject LuceneMediaIndex index;
  @Inject Materializer materializer;

  KafkaCompanion kafka;
  String id;

  @BeforeEach
  void connect() {
    kafka =
        new KafkaCompanion(
            ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    id = "m-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void disconnect() {
    kafka.close();
  }

  @Test
  void theMaterialisersClientsGetTheSharedKafkaSettings() {
    // application.properties: %test.kafka.client.dns.lookup, as a TLS or SASL key would be.
    assertThat(materializer.current().settings().client())
        .containsEntry("client.dns.lookup", "use_all_dns_ips")
        .containsEntry(
            "bootstrap.servers",
            ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class))
        .doesNotContainKeys("client.id", "group.id");
  }

  @Test
  void materialisesIngestEmbeddingAndCaptionIntoOneItemAndDeletesOnTombstone() {
    IngestEvent ingest =
        new IngestEvent(
            "ev-" + id,
            "/test",
            Instant.parse("2026-05-01T00:00:00Z"),
            id,
            "default",
            "image/png",
            "https://example.org/x.png",
            null,
            Map.of("album", "holidays"),
            List.of("beach"));
    ProducerRecord<String, byte[]> structured =
        new ProducerRecord<>(
            Topics.MEDIA_INGEST, id, new IngestEventCodec().encodeStructured(ingest));
    structured
        .headers()
        .add(
            "content-type",
            IngestEventCodec.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
    kafka.produce(String.class, byte[].class).fromRecords(structured).awaitCompletion(PATIENCE);
    produce(Topics.MEDIA_EMBEDDING, id, embedding(id).toByteArray());
    produce(
        Topics.MEDIA_CAPTION,
        id,
        MediaCaptionEvent.newBuilder()
            .setMediaId(id)
            .setCaption("a sandy beach")
            .setOcrText("")
            .setOcrEngine("tesseract")
            .build()
            .toByteArray());

    await()
        .atMost(PATIENCE)
        .until(
            () ->
                index
                    .item("default", id)
                    .map(
                        i ->
                            !i.imageVectors().isEmpty() && !i.caption().isEmpty() && i.ingestSeen())
                    .orElse(false));
    MediaItem item = index.item("default", id).orElseThrow();
    assertThat(item.metadata()).containsEntry("album", "holidays");
    assertThat(item.tags()).containsExactly("beach");
    assertThat(item.ocrEngine()).isEqualTo("tesseract");
    // Readiness follows the lag, which the materialiser refreshes every second while catching up:
    // an item can be searchable a moment before the shard reports itself caught up.
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                given()
                    .port(managementPort())
                    .get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .body(containsString("partitions"), containsString("lagRecords")));
    given()
        .port(managementPort())
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(
            containsString("retrieval_events_applied_total"),
            containsString("retrieval_index_segments"),
            containsString("retrieval_materialiser_lag_records"));

    produce(Topics.MEDIA_INGEST, id, null);
    await().atMost(PATIENCE).until(() -> index.item("default", id).isEmpty());
  }

  @Test
  void deadLettersAnUnparseableRecordWithItsReasonAndKeepsGoing() {
    String poisonKey = "poison-" + id;
    ConsumerTask<String, byte[]> dlq =
        kafka.consume(String.class, byte[].class).fromTopics(Topics.RETRIEVAL_DLQ);

    produce(Topics.MEDIA_CAPTION, poisonKey, new byte[] {(byte) 0xff, (byte) 0xff});
    produce(Topics.MEDIA_EMBEDDING, id, embedding(id).toByteArray());

    await().atMost(PATIENCE).until(() -> index.item("default", id).isPresent());
    await()
        .atMost(PATIENCE)
        .until(() -> dlq.getRecords().stream().anyMatch(r -> poisonKey.equals(r.key())));
    dlq.stop();
    ConsumerRecord<String, byte[]> dead =
        dlq.getRecords().stream().filter(r -> poisonKey.equals(r.key())).findFirst().orElseThrow();
    assertThat(
            new String(
                dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
        .contains("not a MediaCaptionEvent");
    assertThat(
            new String(
                dead.headers().lastHeader("dead-letter-topic").value(), StandardCharsets.UTF_8))
        .isEqualTo(Topics.MEDIA_CAPTION);
    assertThat(dead.value()).containsExactly(0xff, 0xff);
  }

  private void produce(String topic, String key, byte[] value) {
    kafka
        .produce(String.class, byte[].class)
        .fromRecords(new ProducerRecord<>(topic, key, value))
        .awaitCompletion(PATIENCE);
  }

  private static MediaEmbeddingEvent embedding(String id) {
    return MediaEmbeddingEvent.newBuilder()
        .setMediaId(id)
        .setEmbedding(
            Embedding.newBuilder()
                .setModelName("clip")
                .setModelVersion("kafka-1")
                .setDimension(3)
                .addValues(1)
                .addValues(0)
                .addValues(0))
        .setEmbeddedAt(Timestamp.newBuilder().setSeconds(1_800_000_000L))
        .build();
  }

  /** Health and metrics answer on the management interface's port, not on the service port. */
  private static int managementPort() {
    return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
  }
}
