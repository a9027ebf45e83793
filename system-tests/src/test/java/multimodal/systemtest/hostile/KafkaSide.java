package multimodal.systemtest.hostile;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import multimodal.v1.Limits;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The raw Kafka side of the attack: a plain producer that writes whatever bytes and headers it
 * likes to media.ingest.v1, and one reader that collects every dead letter of the four dead-letter
 * topics as they arrive, so that each case waits only for its own record.
 */
final class KafkaSide implements AutoCloseable {
  static final List<String> DEAD_LETTER_TOPICS =
      List.of(
          Topics.MEDIA_INGEST_ENCODER_DLQ,
          Topics.MEDIA_INGEST_GENERATOR_DLQ,
          Topics.MEDIA_INGEST_VISION_DLQ,
          Topics.RETRIEVAL_DLQ);

  /** One dead letter: where it landed and why. */
  record DeadLetter(String topic, String reason) {}

  private final String bootstrap;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> deadLetterReader;
  private final Map<String, List<DeadLetter>> deadLetters = new ConcurrentHashMap<>();
  private final Thread reader;
  private volatile boolean running = true;

  private KafkaSide(String bootstrap) {
    this.bootstrap = bootstrap;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Limits.KAFKA_MAX_RECORD_BYTES));
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.deadLetterReader = consumer();
    this.reader = new Thread(this::readDeadLetters, "hostile-dead-letters");
  }

  static KafkaSide start(String bootstrap) {
    KafkaSide side = new KafkaSide(bootstrap);
    side.reader.setDaemon(true);
    side.reader.start();
    return side;
  }

  private void readDeadLetters() {
    deadLetterReader.subscribe(DEAD_LETTER_TOPICS);
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record :
            deadLetterReader.poll(Duration.ofMillis(200))) {
          Header reason = record.headers().lastHeader("dead-letter-reason");
          String key = record.key() == null ? "" : record.key();
          deadLetters
              .computeIfAbsent(key, k -> new CopyOnWriteArrayList<>())
              .add(
                  new DeadLetter(
                      record.topic(),
                      reason == null ? null : new String(reason.value(), StandardCharsets.UTF_8)));
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      deadLetterReader.close();
    }
  }

  /** Sends one record and waits for the broker's acknowledgement. */
  void send(String key, byte[] value, Map<String, String> headers) throws Exception {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.MEDIA_INGEST, key, value);
    headers.forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
    producer.send(record).get();
  }

  /** Sends an event in structured mode, as the gateway writes it. */
  void sendStructured(IngestEvent event) throws Exception {
    send(
        event.mediaId(),
        new IngestEventCodec().encodeStructured(event),
        Map.of("content-type", IngestEventCodec.STRUCTURED_CONTENT_TYPE));
  }

  /** The dead letter of {@code key} on {@code topic}, waiting for it; its reason is never blank. */
  DeadLetter awaitDeadLetter(String topic, String key) {
    List<DeadLetter> found = new ArrayList<>();
    await("dead letter of " + key + " on " + topic)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              deadLetters.getOrDefault(key, List.of()).stream()
                  .filter(d -> d.topic().equals(topic))
                  .findFirst()
                  .ifPresent(found::add);
              return !found.isEmpty();
            });
    return found.get(0);
  }

  /** Every dead letter of {@code key} seen so far, on any dead-letter topic. */
  List<DeadLetter> deadLettersOf(String key) {
    return List.copyOf(deadLetters.getOrDefault(key, List.of()));
  }

  /** The (first) ingest event keyed by {@code mediaId}, as the consumers decode it. */
  IngestEvent ingestEvent(String mediaId) {
    List<IngestEvent> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(Topics.MEDIA_INGEST));
      await("ingest event of " + mediaId)
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(300))) {
                  if (mediaId.equals(record.key()) && record.value() != null && found.isEmpty()) {
                    Map<String, byte[]> headers = new HashMap<>();
                    record.headers().forEach(h -> headers.put(h.key(), h.value()));
                    found.add(new IngestEventCodec().decode(record.key(), record.value(), headers));
                  }
                }
                return !found.isEmpty();
              });
    }
    return found.get(0);
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "hostile-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
        Integer.toString(Limits.KAFKA_MAX_RECORD_BYTES));
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    deadLetterReader.wakeup();
    reader.join(5000);
    producer.close();
  }
}
