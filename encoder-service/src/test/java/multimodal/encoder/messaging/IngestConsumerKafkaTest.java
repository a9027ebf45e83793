package multimodal.encoder.messaging;

import static multimodal.encoder.Vectors.cosine;
import static multimodal.encoder.Vectors.toArray;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import multimodal.encoder.ClipFixtureResource;
import multimodal.encoder.ServedModels;
import multimodal.encoder.TestImages;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.v1.MediaEmbeddingEvent;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ClipFixtureResource.class, restrictToAnnotatedClass = true)
class IngestConsumerKafkaTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private final IngestEventCodec codec = new IngestEventCodec();

  @Inject ServedModels models;

  @Test
  void embedsAnInlineImageAndPublishesTheEmbeddingEvent() throws Exception {
    IngestEvent event = inlineEvent("red-square-1", TestImages.solidPng(200, 150, Color.RED));
    send(event.mediaId(), codec.encodeStructured(event));

    MediaEmbeddingEvent out = awaitEmbedding(event.mediaId());

    assertThat(out.getSourceEventId()).isEqualTo(event.eventId());
    assertThat(out.getTenant()).isEqualTo("acme");
    assertThat(out.getContentType()).isEqualTo("image/png");
    assertThat(out.getMetadataMap()).containsEntry("camera", "test");
    assertThat(out.getTagsList()).containsExactly("colour");
    assertThat(out.getIngestedAt().getSeconds()).isEqualTo(event.time().getEpochSecond());
    assertThat(out.getEmbedding().getModelName()).isEqualTo("clip");
    assertThat(out.getEmbedding().getModelVersion()).isEqualTo("fixture-colour-1");
    assertThat(out.getEmbedding().getDimension()).isEqualTo(512).isEqualTo(out.getEmbedding().getValuesCount());
    // It is really the picture of a red square: "red" is its best colour word.
    float[][] texts = models.awaitRegistry().resolve("").embedTexts(List.of("a red square", "a blue square"));
    float[] image = toArray(out.getEmbedding().getValuesList());
    assertThat(cosine(texts[0], image)).isGreaterThan(cosine(texts[1], image));
  }

  @Test
  void deadLettersAPoisonRecordWithItsReasonAndKeepsGoing() throws Exception {
    IngestEvent poison = inlineEvent("poison-1", "definitely not an image".getBytes(StandardCharsets.UTF_8));
    IngestEvent good = inlineEvent("after-poison-1", TestImages.solidPng(64, 64, Color.BLUE));
    // Same key, same partition: the good record is behind the poison one.
    send("poison-1", codec.encodeStructured(poison));
    send("poison-1", "{not json".getBytes(StandardCharsets.UTF_8));
    send(good.mediaId(), codec.encodeStructured(good));

    List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer(Topics.MEDIA_INGEST_ENCODER_DLQ)) {
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                assertThat(dead).hasSize(2);
              });
    }
    assertThat(reason(dead.get(0))).contains("data.bytes: not a decodable image");
    assertThat(reason(dead.get(1))).contains("value is not valid JSON");
    assertThat(awaitEmbedding(good.mediaId()).getSourceEventId()).isEqualTo(good.eventId());
  }

  private static String reason(ConsumerRecord<String, byte[]> record) {
    Header header = record.headers().lastHeader("dead-letter-reason");
    assertThat(header).as("dead-letter-reason header").isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  private static IngestEvent inlineEvent(String mediaId, byte[] bytes) {
    return new IngestEvent(
        UUID.randomUUID().toString(),
        "/test",
        Instant.parse("2026-01-02T03:04:05Z"),
        mediaId,
        "acme",
        "image/png",
        null,
        bytes,
        Map.of("camera", "test"),
        List.of("colour"));
  }

  private static MediaEmbeddingEvent awaitEmbedding(String mediaId) throws Exception {
    List<MediaEmbeddingEvent> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer(Topics.MEDIA_EMBEDDING)) {
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                  if (mediaId.equals(record.key())) {
                    found.add(MediaEmbeddingEvent.parseFrom(record.value()));
                  }
                }
                assertThat(found).isNotEmpty();
              });
    }
    assertThat(found.get(0).getMediaId()).isEqualTo(mediaId);
    return found.get(0);
  }

  private static void send(String key, byte[] value) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.MEDIA_INGEST, key, value);
      // Structured mode as the gateway and CloudEvents SDKs write it: the content type names the envelope.
      record.headers().add("content-type", IngestEventCodec.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    }
  }

  private static KafkaConsumer<String, byte[]> consumer(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  private static String bootstrap() {
    return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
  }
}
