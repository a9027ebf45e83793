package multimodal.gateway.rest;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import multimodal.v1.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads media.ingest.v1 from the beginning until the record of one event id shows up. */
public final class IngestTopicReader {
  private IngestTopicReader() {}

  public static ConsumerRecord<String, byte[]> awaitEvent(String bootstrapServers, String eventId) {
    return read(
        bootstrapServers,
        record ->
            record.value() != null
                && new String(record.value(), java.nio.charset.StandardCharsets.UTF_8)
                    .contains("\"id\":\"" + eventId + "\""));
  }

  /** The tombstone (null value) of one media id. */
  public static ConsumerRecord<String, byte[]> awaitTombstone(
      String bootstrapServers, String mediaId) {
    return read(bootstrapServers, record -> record.value() == null && mediaId.equals(record.key()));
  }

  private static ConsumerRecord<String, byte[]> read(
      String bootstrapServers,
      java.util.function.Predicate<ConsumerRecord<String, byte[]>> wanted) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            "gateway-test-" + UUID.randomUUID(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
            32 * 1024 * 1024,
            ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
            64 * 1024 * 1024);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(Topics.MEDIA_INGEST)
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  if (wanted.test(record)) {
                    found.add(record);
                  }
                }
                return !found.isEmpty();
              });
      return found.get(0);
    }
  }
}
