package multimodal.retrieval.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import java.io.IOException;
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
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import multimodal.devkit.kafka.InJvmKafkaBroker;
import multimodal.retrieval.FakeQueryEncoder;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.TestVision;
import multimodal.retrieval.index.IndexFields;
import multimodal.retrieval.index.IndexUpdater;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.retrieval.index.MediaItem;
import multimodal.retrieval.index.SearchFilters;
import multimodal.v1.Embedding;
import multimodal.v1.MediaCaptionEvent;
import multimodal.v1.MediaEmbeddingEvent;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import multimodal.v1.ingest.ProducerTenants;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The materialiser against a real (in-JVM) broker, without Quarkus: a crash between batches
 * (uncommitted writes discarded, consumer restarted) ends in exactly the state of a run that never
 * crashed, applying only the records after the committed offsets; two shards consume disjoint
 * partitions and together hold what one index holds; poison records are dead-lettered.
 */
class IndexMaterializerTest {
  static final int PARTITIONS = 4;
  static final Duration PATIENCE = Duration.ofSeconds(60);
  static InJvmKafkaBroker broker;
  static KafkaProducer<String, byte[]> producer;
  static final IngestEventCodec CODEC = new IngestEventCodec();
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  /**
   * Items of {@link #produceWideItems}: a few MB, so that a replay's segments outgrow Lucene's
   * floor segment size (2 MB) and its natural merges leave several, as a long replay does.
   */
  static final int WIDE_ITEMS = 1500;

  static final ModelVersion WIDE = new ModelVersion("clip", "wide");
  static final Query DEFAULT_TENANT = SearchFilters.of("default", List.of(), null, null, List.of());

  @TempDir Path dir;
  final List<IndexMaterializer> running = new ArrayList<>();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = InJvmKafkaBroker.start();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(Topics.MEDIA_INGEST, PARTITIONS, (short) 1),
                  new NewTopic(Topics.MEDIA_EMBEDDING, PARTITIONS, (short) 1),
                  new NewTopic(Topics.MEDIA_CAPTION, PARTITIONS, (short) 1),
                  new NewTopic(Topics.MEDIA_VISION, PARTITIONS, (short) 1)))
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
    // A vision event of the deleted item read later: it stays deleted.
    produce(
        Topics.MEDIA_VISION,
        "c-3",
        TestVision.event("c-3", "default", 0.1f, TestVision.object("horse", 0.5f)).toByteArray());
    produce(Topics.MEDIA_VISION, "c-vision-poison", new byte[] {(byte) 0xff, (byte) 0xff});

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
    produce(
        Topics.MEDIA_VISION,
        "c-2",
        TestVision.event("c-2", "default", 0.7f, TestVision.object("zebra", 0.6f)).toByteArray());
    awaitCaughtUp(index, 0, 1);
    first.stop(false);
    running.remove(first);
    index.abandon();

    LuceneMediaIndex reopened = LuceneMediaIndex.open(crashDir);
    assertThat(reopened.appliedOffsets()).isEqualTo(committed);
    IndexMaterializer second =
        start(reopened, new FakeQueryEncoder(), 0, 1, Duration.ofHours(1), 5);
    awaitCaughtUp(reopened, 0, 1);

    // Only the records after the committed offsets were read again.
    long expected = 0;
    for (Map.Entry<TopicPartition, Long> end : endOffsets().entrySet()) {
      expected +=
          end.getValue()
              - committed.getOrDefault(end.getKey().topic() + ":" + end.getKey().partition(), 0L);
    }
    assertThat(second.appliedCount() + second.rejectedCount()).isEqualTo(expected);

    LuceneMediaIndex reference = LuceneMediaIndex.open(dir.resolve("reference"));
    start(reference, new FakeQueryEncoder(), 0, 1, Duration.ZERO, 500);
    awaitCaughtUp(reference, 0, 1);
    Map<String, String> expectedItems = describe(reference, "c-");
    assertThat(expectedItems)
        .containsKey("c-1")
        .doesNotContainKeys("c-3", "c-9", "c-poison", "c-vision-poison");
    assertThat(expectedItems.get("c-1"))
        .contains("a new caption for one")
        .contains("minilm@fake-st-1")
        .contains("label horse");
    assertThat(expectedItems.get("c-2"))
        .contains("label zebra")
        .doesNotContain("label horse")
        .contains("unsafe 0.7");
    assertThat(reopened.bm25("zebra", 10, DEFAULT_TENANT))
        .extracting(LuceneMediaIndex.Scored::mediaId)
        .containsExactly("c-2");
    assertThat(describe(reopened, "c-")).isEqualTo(expectedItems);

    // The poison record is in the DLQ with its reason.
    ConsumerRecord<String, byte[]> dead = deadLetter("c-poison");
    assertThat(
            new String(
                dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
        .startsWith("not a MediaEmbeddingEvent");
    assertThat(dead.value()).containsExactly(0xff, 0xff, 0xff);
    ConsumerRecord<String, byte[]> deadVision = deadLetter("c-vision-poison");
    assertThat(
            new String(
                deadVision.headers().lastHeader("dead-letter-reason").value(),
                StandardCharsets.UTF_8))
        .startsWith("not a MediaVisionEvent");
    stopAll();
    reopened.close();
    reference.close();
  }

  @Test
  void isCaughtUpOnlyOnceItAppliedWhatItsPartitionsHeldAtStart() throws Exception {
    produceItems("u", 0, 6);
    LuceneMediaIndex index = LuceneMediaIndex.open(dir.resolve("catch-up"));
    FakeQueryEncoder encoder = new FakeQueryEncoder();
    encoder.failures.set(Integer.MAX_VALUE); // the encoder is down: the captions cannot be applied
    IndexMaterializer m = start(index, encoder, 0, 1, Duration.ZERO, 500);
    await().atMost(PATIENCE).until(() -> !m.assignment().isEmpty());
    // Records of the class's other tests on the same topics may be applied meanwhile (they need no
    // encoder); the captions of these six cannot, so the partitions holding them stay behind.
    await().during(Duration.ofSeconds(2)).atMost(PATIENCE).until(() -> !m.caughtUp());

    encoder.failures.set(0);
    await().atMost(PATIENCE).until(m::caughtUp);
    awaitCaughtUp(index, 0, 1);
    await().atMost(PATIENCE).until(() -> m.lag() == 0);
    stopAll();
    index.close();
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

    assertThat(m0.assignment())
        .allMatch(tp -> tp.partition() % 2 == 0)
        .hasSize(Materializer.TOPICS.size() * PARTITIONS / 2);
    assertThat(m1.assignment())
        .allMatch(tp -> tp.partition() % 2 == 1)
        .hasSize(Materializer.TOPICS.size() * PARTITIONS / 2);
    assertThat(m0.assignment()).anyMatch(tp -> tp.topic().equals(Topics.MEDIA_VISION));
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

  @Test
  void aReplayFromTheBeginningIsForceMergedToOneSegmentOnceCaughtUpAndKeepsApplying()
      throws Exception {
    List<String> ids = produceWideItems("r", WIDE_ITEMS);
    Path replayDir = dir.resolve("replay");
    LuceneMediaIndex index = LuceneMediaIndex.open(replayDir);
    IndexMaterializer m = startOneShard(index, 1);

    await().atMost(PATIENCE).until(() -> m.replayMerge().state() == ReplayMerge.State.MERGED);

    assertThat(index.segmentCount()).isEqualTo(1);
    assertThat(index.mergePending()).isFalse();
    assertThat(committedOffsets(replayDir)).isEqualTo(nonEmptyEndOffsets());
    Map<String, MediaItem> items = index.items("default", ids);
    assertThat(items.size()).isEqualTo(ids.size());
    for (String id : ids.subList(0, 50)) {
      float[] own = items.get(id).imageVectors().get(WIDE).vector();
      assertThat(index.knn(IndexFields.vectorField(WIDE), own, 1, 100, DEFAULT_TENANT, -1))
          .as("the merged segment's HNSW graph finds %s by its own vector", id)
          .extracting(LuceneMediaIndex.Scored::mediaId)
          .containsExactly(id);
    }

    // Records produced after the merge are applied as ever.
    produceItems("r", 0, 3);
    produce(Topics.MEDIA_INGEST, ids.get(0), null);
    awaitCaughtUp(index, 0, 1);
    assertThat(describe(index, "r-")).containsOnlyKeys("r-0", "r-1", "r-2");
    assertThat(index.item("default", ids.get(0))).isEmpty();
    assertThat(m.replayMerge().state()).isEqualTo(ReplayMerge.State.MERGED);
    stopAll();
    index.close();
  }

  @Test
  void noForceMergeWhenTurnedOffNorOnARestartFromStoredOffsets() throws Exception {
    List<String> ids = produceWideItems("o", WIDE_ITEMS);
    Path offDir = dir.resolve("off");
    LuceneMediaIndex index = LuceneMediaIndex.open(offDir);
    IndexMaterializer off = startOneShard(index, 0);
    await().atMost(PATIENCE).until(() -> off.replayMerge().state() == ReplayMerge.State.SKIPPED);
    assertThat(index.segmentCount()).isGreaterThan(1);
    stopAll();
    index.close();

    LuceneMediaIndex reopened = LuceneMediaIndex.open(offDir);
    IndexMaterializer restarted = startOneShard(reopened, 1);
    produceItems("o", 0, 3);
    awaitCaughtUp(reopened, 0, 1);

    assertThat(restarted.replayMerge().state())
        .as("not a replay: resumed from the stored offsets")
        .isEqualTo(ReplayMerge.State.IDLE);
    assertThat(reopened.segmentCount()).isGreaterThan(1);
    assertThat(reopened.items("default", ids).size()).isEqualTo(ids.size());
    assertThat(describe(reopened, "o-")).containsOnlyKeys("o-0", "o-1", "o-2");
    stopAll();
    reopened.close();
  }

  @Test
  void aForceMergeAShutdownInterruptedIsResumedByTheNextStart() throws Exception {
    List<String> ids = produceWideItems("i", WIDE_ITEMS);
    Path interruptedDir = dir.resolve("interrupted");
    LuceneMediaIndex index = LuceneMediaIndex.open(interruptedDir);
    startOneShard(index, 0); // replays, never merges: several segments
    awaitCaughtUp(index, 0, 1);
    assertThat(index.segmentCount()).isGreaterThan(1);
    stopAll();
    // What the catch-up commit leaves when the process stops before the merge's commit.
    index.setMergePending(true);
    index.close();

    LuceneMediaIndex reopened = LuceneMediaIndex.open(interruptedDir);
    assertThat(reopened.mergePending()).isTrue();
    IndexMaterializer restarted = startOneShard(reopened, 1);
    await()
        .atMost(PATIENCE)
        .until(() -> restarted.replayMerge().state() == ReplayMerge.State.MERGED);
    assertThat(reopened.segmentCount()).isEqualTo(1);
    assertThat(reopened.mergePending()).isFalse();
    assertThat(reopened.items("default", ids).size()).isEqualTo(ids.size());
    stopAll();
    reopened.close();

    LuceneMediaIndex again = LuceneMediaIndex.open(interruptedDir);
    assertThat(again.mergePending()).as("the merge's commit cleared it").isFalse();
    again.close();
  }

  @Test
  void notesInputTopicsWhosePartitionCountsSplitItemsOverShardsAndKeepsConsuming()
      throws Exception {
    List<String> topics = List.of("split.ingest", "split.embedding", "split.caption");
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topics.get(0), 4, (short) 1),
                  new NewTopic(topics.get(1), 3, (short) 1),
                  new NewTopic(topics.get(2), 4, (short) 1)))
          .all()
          .get();
    }
    LuceneMediaIndex index = LuceneMediaIndex.open(dir.resolve("split"));
    IndexMaterializer m =
        start(index, new FakeQueryEncoder(), settings(topics, 0, 2, Duration.ZERO, 500, 0));

    await().atMost(PATIENCE).until(() -> m.partitionCounts() != null && !m.assignment().isEmpty());

    assertThat(m.partitionCounts().byTopic())
        .containsExactly(
            Map.entry("split.ingest", 4),
            Map.entry("split.embedding", 3),
            Map.entry("split.caption", 4));
    assertThat(m.partitionCounts().splitsItems()).isTrue();
    assertThat(m.running()).isTrue();
    stopAll();
    index.close();
  }

  /**
   * On a fresh cluster the embedding topic appears only with the encoder's first event: the
   * materialiser starts with the ingest topic alone and must pick the new topic up soon, not at its
   * 30 s partition recheck (which made a new platform's first embeddings wait up to half a minute).
   */
  @Test
  void aTopicCreatedAfterTheStartIsConsumedWithinSeconds() throws Exception {
    List<String> topics = List.of("late.ingest", "late.embedding");
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topics.get(0), 1, (short) 1))).all().get();
      LuceneMediaIndex index = LuceneMediaIndex.open(dir.resolve("late"));
      // As on a cluster whose topics are resources: asking for a topic's partitions must not
      // create it (this test broker would, with one partition, before the test does).
      IndexMaterializer.Settings settings =
          new IndexMaterializer.Settings(
              Map.of(
                  "bootstrap.servers",
                  broker.bootstrapServers(),
                  "allow.auto.create.topics",
                  "false"),
              topics,
              0,
              1,
              Duration.ZERO,
              500,
              "test-late",
              0);
      IndexMaterializer m = start(index, new FakeQueryEncoder(), settings);
      await().atMost(PATIENCE).until(() -> m.assignment().size() == 1);

      admin.createTopics(List.of(new NewTopic(topics.get(1), 2, (short) 1))).all().get();

      // Well under the 30 s recheck, even on a loaded machine.
      await().atMost(Duration.ofSeconds(15)).until(() -> m.assignment().size() == 3);
      stopAll();
      index.close();
    }
  }

  /**
   * The confirmed hole: a binary-mode event of tenant default with the media id of acme's item took
   * the item over, and a tombstone deleted it whatever its tenant. Items are (tenant, media id).
   */
  @Test
  void tenantsSharingAMediaIdNeverTouchEachOthersItem() throws Exception {
    String id = "shared-photo";
    produceIngest(binary(id, "acme", "/gateway", "acme's picture"));
    produce(Topics.MEDIA_EMBEDDING, id, embedding(id, "acme", "v1", 1, 0, 0).toByteArray());
    produceIngest(binary(id, "default", "/kcat", "default's claim"));
    produce(Topics.MEDIA_EMBEDDING, id, embedding(id, "default", "v1", 0, 1, 0).toByteArray());
    produceTombstone(id, Map.of("tenant", "default")); // default deletes "its" item

    LuceneMediaIndex index = LuceneMediaIndex.open(dir.resolve("tenants"));
    startOneShard(index, 0);
    awaitCaughtUp(index, 0, 1);

    MediaItem acme = index.item("acme", id).orElseThrow();
    assertThat(acme.tenant()).isEqualTo("acme");
    assertThat(acme.metadata()).containsEntry("title", "acme's picture");
    assertThat(acme.imageVectors().get(new ModelVersion("clip", "v1")).vector())
        .containsExactly(1f, 0f, 0f);
    assertThat(index.item("default", id))
        .as("default's own item is deleted; acme's is not")
        .isEmpty();
    assertThat(
            index.bm25("picture", 10, SearchFilters.of("acme", List.of(), null, null, List.of())))
        .hasSize(1);
    assertThat(index.bm25("claim", 10, DEFAULT_TENANT)).isEmpty();

    // A tombstone without a tenant header is the default tenant's, as an event without data.tenant.
    produceIngest(binary("bare-delete", "acme", "/gateway", "kept"));
    produceIngest(binary("bare-delete", "default", "/kcat", "dropped"));
    produceTombstone("bare-delete", Map.of());
    awaitCaughtUp(index, 0, 1);
    assertThat(index.item("acme", "bare-delete")).isPresent();
    assertThat(index.item("default", "bare-delete")).isEmpty();
    stopAll();
    index.close();
  }

  /**
   * retrieval.producers: each producer writes only its tenants; the rest goes to the DLQ with the
   * reason.
   */
  @Test
  void aProducerWritesOnlyTheTenantsItIsAllowedAndNothingElseIsLost() throws Exception {
    ProducerTenants rule =
        ProducerTenants.of(
            Map.of("/gateway", List.of("*"), "/crm", List.of("acme")), "retrieval.producers");
    produceIngest(binary("p-allowed", "acme", "/crm", "crm's picture"));
    produceIngest(binary("p-other-tenant", "globex", "/crm", "not crm's tenant"));
    produceIngest(binary("p-unknown", "acme", "/intruder", "unknown producer"));
    produceIngest(binary("p-gateway", "globex", "/gateway", "gateway writes any tenant"));
    produceIngest(binary("p-gateway-deleted", "globex", "/gateway", "to be deleted"));
    produceTombstone(
        "p-gateway-deleted",
        Map.of("tenant", "globex", "ce_source", "/crm")); // crm may not delete globex's
    produceTombstone("p-gateway-deleted", Map.of("tenant", "globex")); // names no producer
    produceIngest(binary("p-kept", "acme", "/crm", "after the refusals"));

    LuceneMediaIndex index = LuceneMediaIndex.open(dir.resolve("producers"));
    start(
        index,
        new FakeQueryEncoder(),
        settings(Materializer.TOPICS, 0, 1, Duration.ZERO, 500, 0),
        new RecordDecoder("default", rule));
    awaitCaughtUp(index, 0, 1);

    assertThat(index.item("acme", "p-allowed")).isPresent();
    assertThat(index.item("globex", "p-gateway")).isPresent();
    assertThat(index.item("globex", "p-gateway-deleted"))
        .as("both tombstones were refused")
        .isPresent();
    assertThat(index.item("acme", "p-kept")).isPresent();
    assertThat(index.item("globex", "p-other-tenant")).isEmpty();
    assertThat(index.item("acme", "p-unknown")).isEmpty();
    assertThat(reason(deadLetter("p-other-tenant")))
        .isEqualTo("producer '/crm' is not allowed to write tenant 'globex' (allowed: acme)");
    assertThat(reason(deadLetter("p-unknown")))
        .isEqualTo("producer '/intruder' is not allowed to write any tenant");
    assertThat(
            deadLetters("p-gateway-deleted", 2).stream()
                .map(IndexMaterializerTest::reason)
                .toList())
        .containsExactly(
            "producer '/crm' is not allowed to write tenant 'globex' (allowed: acme)",
            "the record names no producer (CloudEvents source; on a tombstone the ce_source"
                + " header), and only configured producers may write");
    stopAll();
    index.close();
  }

  @org.junit.jupiter.api.AfterEach
  void stopConsumers() {
    stopAll();
  }

  /** A materialiser that never force-merges (the merge's commit would spoil the crash test). */
  private IndexMaterializer start(
      LuceneMediaIndex index,
      FakeQueryEncoder encoder,
      int shard,
      int shards,
      Duration commitInterval,
      int maxPoll) {
    return start(
        index, encoder, settings(Materializer.TOPICS, shard, shards, commitInterval, maxPoll, 0));
  }

  /** The only shard, committing after every batch of up to 500 records. */
  private IndexMaterializer startOneShard(LuceneMediaIndex index, int mergeAfterReplaySegments) {
    return start(
        index,
        new FakeQueryEncoder(),
        settings(Materializer.TOPICS, 0, 1, Duration.ZERO, 500, mergeAfterReplaySegments));
  }

  private static IndexMaterializer.Settings settings(
      List<String> topics,
      int shard,
      int shards,
      Duration commitInterval,
      int maxPoll,
      int mergeAfterReplaySegments) {
    return new IndexMaterializer.Settings(
        Map.of("bootstrap.servers", broker.bootstrapServers()),
        topics,
        shard,
        shards,
        commitInterval,
        maxPoll,
        "test-" + shard,
        mergeAfterReplaySegments);
  }

  private IndexMaterializer start(
      LuceneMediaIndex index, FakeQueryEncoder encoder, IndexMaterializer.Settings settings) {
    return start(index, encoder, settings, new RecordDecoder("default"));
  }

  private IndexMaterializer start(
      LuceneMediaIndex index,
      FakeQueryEncoder encoder,
      IndexMaterializer.Settings settings,
      RecordDecoder decoder) {
    IndexMaterializer m =
        new IndexMaterializer(
            settings,
            index,
            new IndexUpdater(index, encoder, "minilm", "default", Duration.ofMillis(10)),
            decoder);
    m.start();
    running.add(m);
    return m;
  }

  private void stopAll() {
    running.forEach(IndexMaterializer::close);
    running.clear();
  }

  /** Ingest, two model versions, a caption and a vision event per item, keyed by media id. */
  private static void produceItems(String prefix, int from, int to) {
    for (int i = from; i < to; i++) {
      String id = prefix + "-" + i;
      IngestEvent ingest =
          new IngestEvent(
              "ev-" + id + "-" + System.nanoTime(),
              "/test",
              T0.plusSeconds(i),
              id,
              "default",
              "image/png",
              "https://example.org/" + id + ".png",
              null,
              Map.of("title", "picture " + i),
              List.of(i % 2 == 0 ? "even" : "odd"));
      produce(
          Topics.MEDIA_INGEST,
          id,
          CODEC.encodeStructured(ingest),
          IngestEventCodec.STRUCTURED_CONTENT_TYPE);
      produce(Topics.MEDIA_EMBEDDING, id, embedding(id, "v1", i, 1, 0.5f).toByteArray());
      produce(Topics.MEDIA_EMBEDDING, id, embedding(id, "v2", 1, i, 0.5f).toByteArray());
      produce(
          Topics.MEDIA_CAPTION,
          id,
          caption(id, "caption number " + i, i % 3 == 0 ? "SIGN " + i : "").toByteArray());
      float unsafe = i % 4 == 0 ? Float.NaN : i / 100f;
      produce(
          Topics.MEDIA_VISION,
          id,
          TestVision.event(id, "default", unsafe, TestVision.object("horse", 0.5f)).toByteArray());
    }
    producer.flush();
  }

  /** Embeddings only, each a random 512-dim vector of {@link #WIDE}; their ids. */
  private static List<String> produceWideItems(String prefix, int count) {
    Random random = new Random(prefix.hashCode());
    List<String> ids = new ArrayList<>();
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      float[] v = new float[512];
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) random.nextGaussian();
      }
      String id = prefix + "-wide-" + i;
      sends.add(
          producer.send(
              new ProducerRecord<>(
                  Topics.MEDIA_EMBEDDING, id, embedding(id, WIDE.version(), v).toByteArray())));
      ids.add(id);
    }
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return ids;
  }

  private static void produce(String topic, String key, byte[] value) {
    produce(topic, key, value, null);
  }

  /**
   * A binary-mode ingest event (attributes in ce_* headers), as kcat or a producer system writes
   * it.
   */
  private static IngestEvent binary(String id, String tenant, String source, String title) {
    return new IngestEvent(
        "ev-" + id + "-" + System.nanoTime(),
        source,
        T0,
        id,
        tenant,
        "image/png",
        "https://example.org/" + id + ".png",
        null,
        Map.of("title", title),
        List.of());
  }

  private static void produceIngest(IngestEvent event) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.MEDIA_INGEST, event.mediaId(), CODEC.encodeBinaryData(event));
    CODEC
        .binaryHeaders(event)
        .forEach(
            (name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
    send(record);
  }

  private static void produceTombstone(String id, Map<String, String> headers) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.MEDIA_INGEST, id, null);
    headers.forEach(
        (name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
    send(record);
  }

  private static void send(ProducerRecord<String, byte[]> record) {
    try {
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
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

  private static MediaEmbeddingEvent embedding(String id, String version, float... values) {
    return embedding(id, "default", version, values);
  }

  private static MediaEmbeddingEvent embedding(
      String id, String tenant, String version, float... values) {
    Embedding.Builder e =
        Embedding.newBuilder()
            .setModelName("clip")
            .setModelVersion(version)
            .setDimension(values.length);
    for (float x : values) {
      e.addValues(x);
    }
    return MediaEmbeddingEvent.newBuilder()
        .setMediaId(id)
        .setTenant(tenant)
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

  /**
   * End offsets of the partitions that hold records, as "topic:partition" (empty ones store none).
   */
  private static Map<String, Long> nonEmptyEndOffsets() {
    Map<String, Long> ends = new TreeMap<>();
    endOffsets()
        .forEach(
            (tp, end) -> {
              if (end > 0) {
                ends.put(tp.topic() + ":" + tp.partition(), end);
              }
            });
    return ends;
  }

  /** The Kafka offsets in the index's last commit: where a restart resumes. */
  private static Map<String, Long> committedOffsets(Path indexDir) throws IOException {
    Map<String, Long> offsets = new TreeMap<>();
    try (Directory directory = FSDirectory.open(indexDir);
        DirectoryReader reader = DirectoryReader.open(directory)) {
      reader
          .getIndexCommit()
          .getUserData()
          .forEach(
              (k, v) -> {
                if (k.startsWith("offset:")) {
                  offsets.put(k.substring("offset:".length()), Long.parseLong(v));
                }
              });
    }
    return offsets;
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
                  .allMatch(
                      e ->
                          e.getValue()
                              .equals(
                                  applied.get(e.getKey().topic() + ":" + e.getKey().partition())));
            });
  }

  private static ConsumerRecord<String, byte[]> deadLetter(String key) {
    return deadLetters(key, 1).get(0);
  }

  private static String reason(ConsumerRecord<String, byte[]> dead) {
    return new String(
        dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
  }

  /** The first {@code count} dead letters with this key, in the order written. */
  private static List<ConsumerRecord<String, byte[]>> deadLetters(String key, int count) {
    try (KafkaConsumer<String, byte[]> c = consumer()) {
      c.assign(
          c.partitionsFor(Topics.RETRIEVAL_DLQ).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList());
      c.seekToBeginning(c.assignment());
      List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
      await()
          .atMost(PATIENCE)
          .until(
              () -> {
                c.poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          if (key.equals(r.key())) {
                            found.add(r);
                          }
                        });
                return found.size() >= count;
              });
      return found.subList(0, count);
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
    index.items("default", ids).forEach((id, item) -> out.put(id, describe(item)));
    return out;
  }

  private static String describe(MediaItem item) {
    Map<String, String> vectors = new HashMap<>();
    item.imageVectors()
        .forEach((m, v) -> vectors.put(m.toString(), Arrays.toString(v.vector()) + "@" + v.at()));
    String text =
        item.textVector() == null
            ? "none"
            : item.textVector().model() + Arrays.toString(item.textVector().vector());
    String vision =
        item.vision() == null
            ? "not analysed"
            : item.vision().labels().stream().map(l -> "label " + l).toList()
                + " unsafe "
                + item.vision().unsafeScore()
                + " "
                + item.vision().toEvent();
    return String.join(
        "|",
        item.tenant(),
        item.contentType(),
        String.valueOf(item.metadata()),
        String.valueOf(item.tags()),
        String.valueOf(item.ingestedAt()),
        item.caption(),
        item.captionModel(),
        item.ocrText(),
        item.ocrEngine(),
        new TreeMap<>(vectors).toString(),
        text,
        item.textVectorSource(),
        vision);
  }

  @SuppressWarnings("unused")
  private static String keys(Map<String, ?> m) {
    return m.keySet().stream().sorted().collect(Collectors.joining(","));
  }
}
