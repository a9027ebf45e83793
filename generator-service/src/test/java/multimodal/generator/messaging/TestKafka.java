package multimodal.generator.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;

/** The Kafka test clients' side: ingest events in, fresh consumers of the output topics. */
final class TestKafka {
  private TestKafka() {}

  static IngestEvent inlineEvent(String mediaId, byte[] bytes) {
    return inlineEvent(mediaId, "image/png", bytes);
  }

  static IngestEvent inlineEvent(String mediaId, String contentType, byte[] bytes) {
    return new IngestEvent(
        UUID.randomUUID().toString(),
        "/test",
        Instant.parse("2026-01-02T03:04:05Z"),
        mediaId,
        "acme",
        contentType,
        null,
        bytes,
        Map.of(),
        List.of());
  }

  static IngestEvent uriEvent(String mediaId, String uri) {
    return uriEvent(mediaId, "image/png", uri);
  }

  static IngestEvent uriEvent(String mediaId, String contentType, String uri) {
    return new IngestEvent(
        UUID.randomUUID().toString(),
        "/test",
        Instant.parse("2026-01-02T03:04:05Z"),
        mediaId,
        "acme",
        contentType,
        uri,
        null,
        Map.of(),
        List.of());
  }

  /** Publishes a value to media.ingest.v1 as a structured CloudEvent would arrive. */
  static void sendIngest(String key, byte[] value) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap());
    props.put("max.request.size", 16 << 20);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.MEDIA_INGEST, key, value);
      record
          .headers()
          .add(
              "content-type",
              IngestEventCodec.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    }
  }

  /** A consumer in a group of its own, reading {@code topic} from the start. */
  static KafkaConsumer<String, byte[]> consumer(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  /**
   * Reads {@code topic} from the start until exactly {@code count} records have a matching key
   * (fails when more arrive, or fewer within {@code timeout}).
   */
  static List<ConsumerRecord<String, byte[]>> awaitRecords(
      String topic, Predicate<String> key, int count, Duration timeout) {
    List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer(topic)) {
      Awaitility.await()
          .atMost(timeout)
          .untilAsserted(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  if (record.key() != null && key.test(record.key())) {
                    found.add(record);
                  }
                }
                Assertions.assertThat(found).hasSize(count);
              });
    }
    return found;
  }

  /** A header's value as text; fails when absent. */
  static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    if (header == null) {
      throw new AssertionError("record " + record.key() + " has no header " + name);
    }
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  private static String bootstrap() {
    return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
  }
}
