package multimodal.retrieval.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.kafka.InJvmKafkaBroker;
import multimodal.retrieval.FakeQueryEncoder;
import multimodal.retrieval.index.IndexUpdater;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The materialiser's own consumer and dead-letter producer against a broker that takes SASL only:
 * with the SASL settings of the shared Kafka configuration both connect, read and write; with a
 * wrong password nothing is read and the error says why.
 */
class IndexMaterializerSaslTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static InJvmKafkaBroker broker;
  private static Map<String, String> admin;

  @TempDir Path dir;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = InJvmKafkaBroker.startWithSaslPlain();
    admin = client(InJvmKafkaBroker.SASL_ADMIN, InJvmKafkaBroker.SASL_ADMIN_PASSWORD);
    try (Admin a = Admin.create(Map.<String, Object>copyOf(admin))) {
      a.createTopics(
              List.of(
                  new NewTopic(Topics.MEDIA_INGEST, 2, (short) 1),
                  new NewTopic(Topics.MEDIA_EMBEDDING, 2, (short) 1),
                  new NewTopic(Topics.MEDIA_CAPTION, 2, (short) 1),
                  new NewTopic(Topics.MEDIA_VISION, 2, (short) 1),
                  new NewTopic(Topics.RETRIEVAL_DLQ, 1, (short) 1)))
          .all()
          .get();
    }
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.<String, Object>copyOf(admin), new StringSerializer(), new ByteArraySerializer())) {
      IngestEvent ingest =
          new IngestEvent(
              "ev-sasl-1",
              "/test",
              Instant.parse("2026-03-01T00:00:00Z"),
              "sasl-1",
              "default",
              "image/png",
              "https://example.org/sasl-1.png",
              null,
              Map.of("title", "over SASL"),
              List.of());
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(
              Topics.MEDIA_INGEST, "sasl-1", new IngestEventCodec().encodeStructured(ingest));
      record
          .headers()
          .add(
              "content-type",
              IngestEventCodec.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
      producer
          .send(new ProducerRecord<>(Topics.MEDIA_EMBEDDING, "sasl-poison", new byte[] {-1, -1}))
          .get();
    }
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void theConsumerAndTheDeadLetterProducerAuthenticateWithTheSharedSettings() throws Exception {
    try (LuceneMediaIndex index = LuceneMediaIndex.open(dir.resolve("ok"));
        IndexMaterializer m = start(index, admin)) {
      await().atMost(PATIENCE).until(() -> m.appliedCount() == 1 && m.rejectedCount() == 1);
      await().atMost(PATIENCE).until(m::caughtUp);
      await().atMost(PATIENCE).until(() -> m.lag() == 0);
      await().atMost(PATIENCE).until(() -> index.item("default", "sasl-1").isPresent());
      assertThat(m.lastError()).isNull();
    }
    // The poison record reached the DLQ: written by the materialiser's SASL producer.
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            Map.<String, Object>copyOf(admin),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition dlq = new TopicPartition(Topics.RETRIEVAL_DLQ, 0);
      c.assign(List.of(dlq));
      c.seekToBeginning(List.of(dlq));
      List<ConsumerRecord<String, byte[]>> records = c.poll(Duration.ofSeconds(10)).records(dlq);
      assertThat(records).extracting(ConsumerRecord::key).containsExactly("sasl-poison");
    }
  }

  @Test
  void aWrongPasswordReadsNothingAndSaysWhy() throws Exception {
    Map<String, String> wrong = client(InJvmKafkaBroker.SASL_ADMIN, "not-the-password");
    try (LuceneMediaIndex index = LuceneMediaIndex.open(dir.resolve("wrong"));
        IndexMaterializer m = start(index, wrong)) {
      await().atMost(PATIENCE).until(() -> m.lastError() != null);
      assertThat(m.lastError()).isInstanceOf(SaslAuthenticationException.class);
      assertThat(m.assignment()).isEmpty();
      assertThat(m.caughtUp()).isFalse();
      assertThat(m.appliedCount()).isZero();
    }
  }

  private static Map<String, String> client(String user, String password) {
    Map<String, String> settings =
        new HashMap<>(InJvmKafkaBroker.saslPlainClientSettings(user, password));
    settings.put("bootstrap.servers", broker.bootstrapServers());
    return settings;
  }

  private static IndexMaterializer start(LuceneMediaIndex index, Map<String, String> client) {
    IndexMaterializer m =
        new IndexMaterializer(
            new IndexMaterializer.Settings(
                client, Materializer.TOPICS, 0, 1, Duration.ZERO, 100, "sasl-test", 0),
            index,
            new IndexUpdater(
                index, new FakeQueryEncoder(), "minilm", "default", Duration.ofMillis(10)),
            new RecordDecoder("default"));
    m.start();
    return m;
  }
}
