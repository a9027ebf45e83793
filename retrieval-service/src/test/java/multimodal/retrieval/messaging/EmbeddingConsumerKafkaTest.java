package multimodal.retrieval.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.ScoredMedia;
import multimodal.retrieval.TempIndexDirResource;
import multimodal.retrieval.VectorQuery;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.v1.Embedding;
import multimodal.v1.MediaEmbeddingEvent;
import multimodal.v1.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real broker: events in, searchable out; tombstones delete; poison records go to the DLQ. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TempIndexDirResource.class, restrictToAnnotatedClass = true)
class EmbeddingConsumerKafkaTest {
  static final ModelVersion MODEL = new ModelVersion("clip", "kafka-test-1");
  static final Duration PATIENCE = Duration.ofSeconds(60);

  @Inject LuceneMediaIndex index;

  KafkaCompanion kafka;
  String tenant;

  @BeforeEach
  void connect() {
    // Looked up, not injected: other test classes of this app boot without a broker.
    kafka = new KafkaCompanion(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void disconnect() {
    kafka.close();
  }

  @Test
  void indexesEmbeddingEventsAndDeletesOnIngestTombstone() {
    produce(Topics.MEDIA_EMBEDDING, "cat-" + tenant, event("cat-" + tenant, 1, 0, 0).toByteArray());
    produce(Topics.MEDIA_EMBEDDING, "dog-" + tenant, event("dog-" + tenant, 0, 1, 0).toByteArray());

    await().atMost(PATIENCE).until(() -> search(1, 1, 0).size() == 2);
    assertThat(search(1, 0, 0)).extracting(ScoredMedia::mediaId).containsExactly("cat-" + tenant, "dog-" + tenant);
    assertThat(index.media("cat-" + tenant).orElseThrow().metadata()).containsEntry("source", "kafka-test");

    // A non-null ingest event is not a delete; the tombstone after it is.
    produce(Topics.MEDIA_INGEST, "dog-" + tenant, "{\"specversion\":\"1.0\"}".getBytes(StandardCharsets.UTF_8));
    produce(Topics.MEDIA_INGEST, "cat-" + tenant, null);

    await().atMost(PATIENCE).until(() -> index.media("cat-" + tenant).isEmpty());
    assertThat(search(1, 1, 0)).extracting(ScoredMedia::mediaId).containsExactly("dog-" + tenant);
  }

  @Test
  void deadLettersAnUnparseableRecordWithItsReasonAndKeepsGoing() {
    String poisonKey = "poison-" + tenant;
    ConsumerTask<String, byte[]> dlq =
        kafka.consume(String.class, byte[].class).fromTopics(Topics.RETRIEVAL_DLQ);

    produce(Topics.MEDIA_EMBEDDING, poisonKey, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    produce(Topics.MEDIA_EMBEDDING, "fox-" + tenant, event("fox-" + tenant, 0, 0, 1).toByteArray());

    await().atMost(PATIENCE).until(() -> search(0, 0, 1).size() == 1);
    await().atMost(PATIENCE).until(() -> dlq.getRecords().stream().anyMatch(r -> poisonKey.equals(r.key())));
    dlq.stop();
    ConsumerRecord<String, byte[]> dead =
        dlq.getRecords().stream().filter(r -> poisonKey.equals(r.key())).findFirst().orElseThrow();
    Header reason = dead.headers().lastHeader("dead-letter-reason");
    assertThat(reason).isNotNull();
    assertThat(new String(reason.value(), StandardCharsets.UTF_8)).contains("not a MediaEmbeddingEvent");
    assertThat(dead.value()).containsExactly(0xff, 0xff, 0xff, 0xff);
  }

  private void produce(String topic, String key, byte[] value) {
    kafka
        .produce(String.class, byte[].class)
        .fromRecords(new ProducerRecord<>(topic, key, value))
        .awaitCompletion(PATIENCE);
  }

  private List<ScoredMedia> search(float... vector) {
    return index.search(new VectorQuery(tenant, MODEL, vector, 10, Float.NEGATIVE_INFINITY));
  }

  private MediaEmbeddingEvent event(String mediaId, float... vector) {
    Embedding.Builder embedding =
        Embedding.newBuilder().setModelName(MODEL.name()).setModelVersion(MODEL.version()).setDimension(vector.length);
    for (float v : vector) {
      embedding.addValues(v);
    }
    return MediaEmbeddingEvent.newBuilder()
        .setMediaId(mediaId)
        .setTenant(tenant)
        .setContentType("image/png")
        .setEmbedding(embedding)
        .setEmbeddedAt(Timestamp.newBuilder().setSeconds(1_800_000_000L))
        .putMetadata("source", "kafka-test")
        .build();
  }
}
