package multimodal.retrieval.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import multimodal.devkit.kafka.InJvmKafkaBroker;
import multimodal.retrieval.FakeQueryEncoder;
import multimodal.retrieval.index.IndexUpdater;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.retrieval.index.MediaItem;
import multimodal.v1.Embedding;
import multimodal.v1.MediaCaptionEvent;
import multimodal.v1.MediaEmbeddingEvent;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The materialiser against a real (in-JVM) broker, without Quarkus: a crash between batches
 * (uncommitted writes discarded, consumer restarted) ends in exactly the state of a run that
 * never crashed, applying only the records after the committed offsets; two shards consume
 * disjoint partitions and together hold what one index holds; poison records are dead-lettered.
 */
class IndexMaterializerTest {
  static final int PARTITIONS = 4;
  static final Duration PATIENCE = Duration.ofSeconds(60);
  static InJvmKafkaBroker broker;
  static KafkaProducer<String, byte[]> producer;
  static final IngestEventCodec CODEC = new IngestEventCodec();
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  @TempDir Path dir;
  final List<IndexMaterializer> running = new ArrayList<>();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = InJvmKafkaBroker.start();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(Topics.MEDIA_INGEST, PARTITIONS, (short) 1),
                  new NewTopic(Topics.MEDIA_EMBEDDING, PARTITIONS, (short) 1),
                  new NewTopic(Topics.MEDIA_CAPTION, PARTITIONS, (short) 1)))
          .all()
          .get();
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void stopBroker() {
    producer.close();
    broker.close();
  }

  @Test
  void aCrashBetweenBatchesNeitherLosesNorReappliesEvents() throws Exception {
    produceItems("c", 0, 12);
    produce(Topics.MEDIA_EMBEDDING, "c-poison", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    produce(Topics.MEDIA_INGEST, "c-3", null); // tombstone

    Path crashDir = dir.resolve("crash");
    LuceneMediaIndex index = LuceneMediaIndex.open(crashDir);
    FakeQueryEncoder encoder = new FakeQueryEncoder();
    encoder.failures.set(2); // the encoder is down at first: text vectors are retried, not dropped
    IndexMaterializer first = start(index, encoder, 0, 1, Duration.ofHours(1), 5);
    awaitCaughtUp(index, 0, 1);
    index.commit(); // batches so far are durable with their offsets
    Map<String, Long> committed = index.appliedOffsets();

    // More events, applied but never committed: the crash loses them from the index.
    produceItems("c", 8, 16);
    produce(Topics.MEDIA_INGEST, "c-9", null);
    produce(Topics.MEDIA_CAPTION, "c-1", caption("c-1", "a new caption for one", "").toByteArray());
    awaitCaughtUp(index, 0, 1);
    first.stop(false);
    running.remove(first);
    index.abandon();

    LuceneMediaIndex reopened = LuceneMediaIndex.open(crashDir);
    assertThat(reopened.appliedOffsets()).isEqualTo(committed);
    IndexMaterializer second = start(reopened, new FakeQueryEncoder(), 0, 1, Duration.ofHours(1), 5);
    awaitCaughtUp(reopened, 0, 1);

    // Only the records after the committed offsets were read again.
    long expected = 0;
    for (Map.Entry<TopicPartition, Long> end : endOffsets().entrySet()) {
      expected += end.getValue() - committed.getOrDefault(end.getKey().topic() + ":" + end.getKey().partition(), 0L);
    }
    assertThat(second.appliedCount() + second.rejectedCount()).isEqualTo(expected);

    LuceneMediaIndex reference = LuceneMediaIndex.open(dir.resolve("reference"));
    start(reference, new FakeQueryEncoder(), 0, 1, Duration.ZERO, 500);
    awaitCaughtUp(reference, 0, 1);
    Map<String, String> expectedItems = describe(reference, "c-");
    assertThat(expectedItems).containsKey("c-1").doesNotContainKeys("c-3", "c-9", "c-poison");
    assertThat(expectedItems.get("c-1")).contains("a new caption for one").contains("minilm@fake-st-1");
    assertThat(describe(reopened, "c-")).isEqualTo(expectedItems);

    // The poison record is in the DLQ with its reason.
    ConsumerRecord<String, byte[]> dead = deadLetter("c-poison");
    assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
        .startsWith("not a MediaEmbeddingEvent");
    assertThat(dead.value()).containsExactly(0xff, 0xff, 0xff);
    stopAll();
    reopened.close();
    reference.close();
  }

  @Test
  void twoShardsConsumeDisjointPartitionsAndTogetherHoldWhatOneIndexHolds() throws Exception {
    produceItems("s", 0, 20);
    LuceneMediaIndex whole = LuceneMediaIndex.open(dir.resolve("whole"));
    LuceneMediaIndex shard0 = LuceneMediaIndex.open(dir.resolve("shard0"));
    LuceneMediaIndex shard1 = LuceneMediaIndex.open(dir.resolve("shard1"));
    start(whole, new FakeQueryEncoder(), 0, 1, Duration.ZERO, 500);
    IndexMaterializer m0 = start(shard0, new FakeQueryEncoder(), 0, 2, Duration.ZERO, 500);
    IndexMaterializer m1 = start(shard1, new FakeQueryEncoder(), 1, 2, Duration.ZERO, 500);
    awaitCaughtUp(whole, 0, 1);
    awaitCaughtUp(shard0, 0, 2);
    awaitCaughtUp(shard1, 1, 2);

    assertThat(m0.assignment()).allMatch(tp -> tp.partition() % 2 == 0).hasSize(3 * PARTITIONS / 2);
    assertThat(m1.assignment()).allMatch(tp -> tp.partition() % 2 == 1).hasSize(3 * PARTITIONS / 2);
    Map<String, String> s0 = describe(shard0, "s-");
    Map<String, String> s1 = describe(shard1, "s-");
    assertThat(s0).isNotEmpty();
    assertThat(s1).isNotEmpty();
    assertThat(s0.keySet()).doesNotContainAnyElementsOf(s1.keySet());
    Map<String, String> union = new TreeMap<>(s0);
    union.putAll(s1);
    assertThat(union).isEqualTo(describe(whole, "s-"));
    stopAll();
    whole.close();
    shard0.close();
    shard1.close();
  }

  @org.junit.jupiter.api.AfterEach
  void stopConsumers() {
    stopAll();
  }

  private IndexMaterializer start(
      LuceneMediaIndex index, FakeQueryEncoder encoder, int shard, int shards, Duration commitInterval, int maxPoll) {
    IndexMaterializer m =
        new IndexMaterializer(
            new IndexMaterializer.Settings(
                broker.bootstrapServers(), Materializer.TOPICS, shard, shards, commitInterval, maxPoll, "test-" + shard),
            index,
            new IndexUpdater(index, encoder, "minilm", "default", Duration.ofMillis(10)),
            new RecordDecoder("default"));
    m.start();
    running.add(m);
    return m;
  }

  private void stopAll() {
    running.forEach(IndexMaterializer::close);
    running.clear();
  }

  /** Ingest, two model versions and a caption per item, keyed by media id. */
  private static void produceItems(String prefix, int from, int to) {
    for (int i = from; i < to; i++) {
      String id = prefix + "-" + i;
      IngestEvent ingest =
          new IngestEvent(
              "ev-" + id + "-" + System.nanoTime(), "/test", T0.plusSeconds(i), id, "default", "image/png",
              "https://example.org/" + id + ".png", null, Map.of("title", "picture " + i), List.of(i % 2 == 0 ? "even" : "odd"));
      produce(Topics.MEDIA_INGEST, id, CODEC.encodeStructured(ingest), IngestEventCodec.STRUCTURED_CONTENT_TYPE);
      produce(Topics.MEDIA_EMBEDDING, id, embedding(id, "v1", i, 1).toByteArray());
      produce(Topics.MEDIA_EMBEDDING, id, embedding(id, "v2", 1, i).toByteArray());
      produce(Topics.MEDIA_CAPTION, id, caption(id, "caption number " + i, i % 3 == 0 ? "SIGN " + i : "").toByteArray());
    }
    producer.flush();
  }

  private static void produce(String topic, String key, byte[] value) {
    produce(topic, key, value, null);
  }

  private static void produce(String topic, String key, byte[] value, String contentType) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
    if (contentType != null) {
      record.headers().add("content-type", contentType.getBytes(StandardCharsets.UTF_8));
    }
    try {
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static MediaEmbeddingEvent embedding(String id, String version, float a, float b) {
    Embedding e =
        Embedding.newBuilder().setModelName("clip").setModelVersion(version).setDimension(3).addValues(a).addValues(b).addValues(0.5f).build();
    return MediaEmbeddingEvent.newBuilder()
        .setMediaId(id)
        .setTenant("default")
        .setEmbedding(e)
        .setEmbeddedAt(Timestamp.newBuilder().setSeconds(1_800_000_000L))
        .build();
  }

  private static MediaCaptionEvent caption(String id, String caption, String ocr) {
    return MediaCaptionEvent.newBuilder()
        .setMediaId(id)
        .setCaption(caption)
        .setCaptionModelName("captioner")
        .setCaptionModelVersion("1")
        .setOcrText(ocr)
        .setOcrEngine(ocr.isEmpty() ? "" : "tesseract")
        .build();
  }

  private static Map<TopicPartition, Long> endOffsets() {
    try (KafkaConsumer<String, byte[]> c = consumer()) {
      List<TopicPartition> all = new ArrayList<>();
      for (String topic : Materializer.TOPICS) {
        for (int p = 0; p < PARTITIONS; p++) {
          all.add(new TopicPartition(topic, p));
        }
      }
      return c.endOffsets(all);
    }
  }

  private static void awaitCaughtUp(LuceneMediaIndex index, int shard, int shards) {
    Map<TopicPartition, Long> ends = endOffsets();
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              Map<String, Long> applied = index.appliedOffsets();
              return ends.entrySet().stream()
                  .filter(e -> e.getKey().partition() % shards == shard && e.getValue() > 0)
                  .allMatch(e -> e.getValue().equals(applied.get(e.getKey().topic() + ":" + e.getKey().partition())));
            });
  }

  private static ConsumerRecord<String, byte[]> deadLetter(String key) {
    try (KafkaConsumer<String, byte[]> c = consumer()) {
      c.assign(
          c.partitionsFor(Topics.RETRIEVAL_DLQ).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList());
      c.seekToBeginning(c.assignment());
      List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
      await()
          .atMost(PATIENCE)
          .until(
              () -> {
                c.poll(Duration.ofMillis(200)).forEach(r -> {
                  if (key.equals(r.key())) {
                    found.add(r);
                  }
                });
                return !found.isEmpty();
              });
      return found.get(0);
    }
  }

  private static KafkaConsumer<String, byte[]> consumer() {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Everything about each item with the prefix except the text-vector timestamp. */
  private static Map<String, String> describe(LuceneMediaIndex index, String prefix) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add(prefix + i);
    }
    ids.add(prefix + "poison");
    Map<String, String> out = new TreeMap<>();
    index.items(ids).forEach((id, item) -> out.put(id, describe(item)));
    return out;
  }

  private static String describe(MediaItem item) {
    Map<String, String> vectors = new HashMap<>();
    item.imageVectors().forEach((m, v) -> vectors.put(m.toString(), Arrays.toString(v.vector()) + "@" + v.at()));
    String text = item.textVector() == null ? "none" : item.textVector().model() + Arrays.toString(item.textVector().vector());
    return String.join(
        "|",
        item.tenant(), item.contentType(), String.valueOf(item.metadata()), String.valueOf(item.tags()),
        String.valueOf(item.ingestedAt()), item.caption(), item.captionModel(), item.ocrText(), item.ocrEngine(),
        new TreeMap<>(vectors).toString(), text, item.textVectorSource());
  }

  @SuppressWarnings("unused")
  private static String keys(Map<String, ?> m) {
    return m.keySet().stream().sorted().collect(Collectors.joining(","));
  }
}
