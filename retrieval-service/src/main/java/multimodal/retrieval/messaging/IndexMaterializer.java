package multimodal.retrieval.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.SourceOffset;
import multimodal.retrieval.index.IndexUpdater;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.v1.Limits;
import multimodal.v1.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Materialises the media topics into the index, exactly once.
 *
 * <p>Why a plain {@link KafkaConsumer} rather than SmallRye channels: the positions to resume from
 * live in the Lucene commit, not in Kafka's group offsets, and a shard owns a fixed subset of
 * partitions. So the consumer uses explicit assignment (partitions p with p mod N = shard), seeks
 * each partition to the offset stored in the last index commit (or the beginning), applies a polled
 * batch in one index write and commits the index — documents and offsets in one Lucene commit.
 * After a crash the uncommitted writes are gone and the same records are read again from the
 * committed offsets: nothing is lost, nothing is applied twice. No consumer group offsets are used
 * at all.
 *
 * <p>Poison records go to {@value Topics#RETRIEVAL_DLQ} with SmallRye's dead-letter headers ({@code
 * dead-letter-reason}, ...) before the offset that passes them is committed.
 */
public final class IndexMaterializer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(IndexMaterializer.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration RECHECK_PARTITIONS = Duration.ofSeconds(30);
  // On a fresh cluster a derived topic appears only when its producer first writes to it (on the
  // local broker, by auto-creation): look again every second until every topic exists, or a new
  // platform's first half-minute of embeddings would wait for the 30 s recheck.
  private static final Duration RECHECK_MISSING_TOPICS = Duration.ofSeconds(1);
  private static final Duration REFRESH_LAG = Duration.ofSeconds(5);
  // Until caught up the readiness waits on the refresh: more often then.
  private static final Duration REFRESH_LAG_CATCHING_UP = Duration.ofSeconds(1);

  /**
   * @param client the Kafka settings both clients share: bootstrap.servers and any TLS/SASL keys
   *     ({@link KafkaClientProperties#shared})
   * @param shardIndex this replica's shard, 0..shardCount-1
   * @param commitInterval minimum time between index commits (0: after every batch)
   * @param mergeAfterReplaySegments segments to force-merge the index to once a replay from the
   *     beginning caught up ({@link ReplayMerge}); 0 = never
   */
  public record Settings(
      Map<String, String> client,
      List<String> topics,
      int shardIndex,
      int shardCount,
      Duration commitInterval,
      int maxPollRecords,
      String clientId,
      int mergeAfterReplaySegments) {
    public Settings {
      if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
        throw new IllegalArgumentException(
            "shard " + shardIndex + " of " + shardCount + " is not valid");
      }
      if (mergeAfterReplaySegments < 0) {
        throw new IllegalArgumentException(
            "merge-after-replay-segments must be >= 0, got " + mergeAfterReplaySegments);
      }
      if (!client.containsKey("bootstrap.servers")) {
        throw new IllegalArgumentException("the client settings have no bootstrap.servers");
      }
      client = Map.copyOf(client);
      topics = List.copyOf(topics);
    }

    public boolean owns(int partition) {
      return partition % shardCount == shardIndex;
    }
  }

  private final Settings settings;
  private final LuceneMediaIndex index;
  private final IndexUpdater updater;
  private final RecordDecoder decoder;
  private final ReplayMerge replayMerge;
  private final MaterializerTracing tracing;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private volatile boolean running;
  private volatile Set<TopicPartition> assigned = Set.of();
  private volatile PartitionCounts partitionCounts;
  // Set while a replay from the beginning has not caught up; consumer thread only.
  private ReplayCatchUp replay;
  private volatile Throwable lastError;
  // End offsets of the assigned partitions when this replica started: caught up once reached.
  private final ReplayCatchUp startCatchUp = new ReplayCatchUp();
  private volatile boolean caughtUp;
  private volatile long lag = -1;
  private KafkaConsumer<String, byte[]> consumer;
  private KafkaProducer<String, byte[]> dlq;
  private Thread thread;
  // Some consumed topic had no partitions at the last check (not created yet).
  private boolean topicsMissing;

  public IndexMaterializer(
      Settings settings, LuceneMediaIndex index, IndexUpdater updater, RecordDecoder decoder) {
    this(settings, index, updater, decoder, MaterializerTracing.OFF);
  }

  /**
   * @param tracing spans of the records applied, children of their producers' spans
   */
  public IndexMaterializer(
      Settings settings,
      LuceneMediaIndex index,
      IndexUpdater updater,
      RecordDecoder decoder,
      MaterializerTracing tracing) {
    this.tracing = tracing;
    this.settings = settings;
    this.index = index;
    this.updater = updater;
    this.decoder = decoder;
    this.replayMerge =
        new ReplayMerge(
            index,
            settings.mergeAfterReplaySegments(),
            "index-replay-merge-" + settings.shardIndex());
  }

  /** Starts consuming on its own thread. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    Properties c = new Properties();
    c.putAll(settings.client());
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(settings.maxPollRecords()));
    // Only fully committed producer transactions, should a producer ever use them.
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    Properties p = new Properties();
    p.putAll(settings.client());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, settings.clientId() + "-dlq");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // Dead letters copy records whole, inline images included: the platform's record limit.
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Limits.KAFKA_MAX_RECORD_BYTES));
    dlq = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    // No stored offsets at all (a rebuild, or a new index): every partition is read from the
    // beginning. Or the merge after such a replay was interrupted: merge once caught up again.
    replay = index.appliedOffsets().isEmpty() || index.mergePending() ? new ReplayCatchUp() : null;
    running = true;
    thread = new Thread(this::run, "index-materializer-" + settings.shardIndex());
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops after the batch in progress (which is committed); waits for the thread. */
  @Override
  public void close() {
    stop(true);
  }

  /**
   * Stops consuming. With {@code commit} false nothing more is committed — what a crash looks like
   * to the index (tests use it).
   */
  public void stop(boolean commit) {
    Thread t;
    synchronized (this) {
      t = thread;
      if (t == null || !running) {
        return;
      }
      finalCommit = commit;
      running = false;
    }
    consumer.wakeup();
    try {
      t.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private volatile boolean finalCommit = true;

  public boolean running() {
    return running;
  }

  public Settings settings() {
    return settings;
  }

  /** Partitions this replica consumes. */
  public Set<TopicPartition> assignment() {
    return assigned;
  }

  /** Records applied to the index since start (rejected ones excluded). */
  public long appliedCount() {
    return applied.get();
  }

  public long rejectedCount() {
    return rejected.get();
  }

  public Throwable lastError() {
    return lastError;
  }

  /** The force-merge after a replay from the beginning (IDLE on a start from stored offsets). */
  public ReplayMerge replayMerge() {
    return replayMerge;
  }

  /**
   * True once every assigned partition was read up to the end offset it had when this replica
   * started: the index then answers with what the topics held at start. Stays true afterwards (a
   * burst of new records makes the replica lag, not unready).
   */
  public boolean caughtUp() {
    return caughtUp;
  }

  /**
   * Records of the assigned partitions not yet applied (the sum of end offset - position, as of the
   * last refresh, every few seconds); -1 while unknown. The materialiser uses no consumer group, so
   * group-lag tools (KEDA, kafka-consumer-groups) cannot see this.
   */
  public long lag() {
    return lag;
  }

  /** The input topics' partition counts as last seen (null before the first assignment). */
  public PartitionCounts partitionCounts() {
    return partitionCounts;
  }

  private void run() {
    long lastCommit = System.nanoTime();
    long lastPartitionCheck = 0;
    long lastLagRefresh = 0;
    try {
      while (running) {
        try {
          long sinceCheck = System.nanoTime() - lastPartitionCheck;
          if (sinceCheck > RECHECK_PARTITIONS.toNanos()
              || assigned.isEmpty()
              || (topicsMissing && sinceCheck > RECHECK_MISSING_TOPICS.toNanos())) {
            assign();
            lastPartitionCheck = System.nanoTime();
            if (assigned.isEmpty()) {
              pause(); // no topic exists yet
              continue;
            }
          }
          ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
          if (!records.isEmpty()) {
            tracing.around(records, () -> applyBatch(records));
          }
          if (replay != null && replay.reached(this::position)) {
            index.commit(); // the replayed state is durable before the merge starts
            lastCommit = System.nanoTime();
            replayMerge.caughtUp(applied.get() + rejected.get(), applied.get(), replay.elapsed());
            replay = null;
          }
          if (System.nanoTime() - lastCommit >= settings.commitInterval().toNanos()) {
            index.commit();
            lastCommit = System.nanoTime();
          }
          Duration refresh = caughtUp ? REFRESH_LAG : REFRESH_LAG_CATCHING_UP;
          if (lastLagRefresh == 0 || System.nanoTime() - lastLagRefresh >= refresh.toNanos()) {
            refreshLag();
            lastLagRefresh = System.nanoTime();
          }
          lastError = null;
        } catch (WakeupException | IndexUpdater.Stopped e) {
          // stop() was called
        } catch (RuntimeException e) {
          lastError = e;
          LOG.errorf(e, "materialising failed; resuming from the applied offsets");
          resumeFromIndex();
          pause();
        }
      }
      if (finalCommit) {
        index.commit();
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
      dlq.close(Duration.ofSeconds(5));
    }
  }

  private void applyBatch(ConsumerRecords<String, byte[]> records) {
    List<IndexUpdater.Record> batch = new ArrayList<>(records.count());
    List<IndexUpdater.Rejection> rejections = new ArrayList<>();
    Map<IndexUpdater.Record, ConsumerRecord<String, byte[]>> originals = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      SourceOffset source = new SourceOffset(record.topic(), record.partition(), record.offset());
      IndexUpdater.Record r;
      try {
        // No timestamp (-1, very old message formats): deleted now.
        Instant timestamp =
            record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : Instant.now();
        IndexChange change =
            decoder.decode(
                record.topic(), record.key(), record.value(), headers(record), timestamp);
        r = new IndexUpdater.Record(change, source);
      } catch (InvalidEventException e) {
        r = new IndexUpdater.Record(null, source);
        rejections.add(new IndexUpdater.Rejection(r, e.getMessage(), e));
      }
      batch.add(r);
      originals.put(r, record);
    }
    IndexUpdater.Prepared prepared = updater.prepare(batch, () -> running);
    rejections.addAll(prepared.rejections());
    // Dead letters first: should that fail, nothing of the batch is written and it is re-read.
    deadLetter(rejections, originals);
    updater.write(prepared);
    applied.addAndGet(batch.size() - rejections.size());
    rejected.addAndGet(rejections.size());
  }

  /** Sends every rejected record to the DLQ and waits for the broker's acks. */
  private void deadLetter(
      List<IndexUpdater.Rejection> rejections,
      Map<IndexUpdater.Record, ConsumerRecord<String, byte[]>> originals) {
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    for (IndexUpdater.Rejection rejection : rejections) {
      ConsumerRecord<String, byte[]> original = originals.get(rejection.record());
      LOG.warnf(
          "dead-lettering %s-%d@%d key=%s: %s",
          original.topic(),
          original.partition(),
          original.offset(),
          original.key(),
          rejection.reason());
      RecordHeaders headers = new RecordHeaders(original.headers().toArray());
      put(headers, "dead-letter-reason", rejection.reason());
      if (rejection.cause() != null && rejection.cause().getCause() != null) {
        put(
            headers,
            "dead-letter-cause",
            String.valueOf(rejection.cause().getCause().getMessage()));
      }
      if (rejection.cause() != null) {
        put(headers, "dead-letter-exception-class-name", rejection.cause().getClass().getName());
      }
      put(headers, "dead-letter-topic", original.topic());
      put(headers, "dead-letter-partition", Integer.toString(original.partition()));
      put(headers, "dead-letter-offset", Long.toString(original.offset()));
      sends.add(
          dlq.send(
              new ProducerRecord<>(
                  Topics.RETRIEVAL_DLQ, null, original.key(), original.value(), headers)));
    }
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while dead-lettering", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("cannot write to " + Topics.RETRIEVAL_DLQ, e);
      }
    }
  }

  private static void put(RecordHeaders headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, byte[]> headers(ConsumerRecord<String, byte[]> record) {
    Map<String, byte[]> headers = new HashMap<>();
    for (Header h : record.headers()) {
      headers.put(h.key(), h.value());
    }
    return headers;
  }

  /**
   * Asks the broker for the assigned partitions' end offsets (the last stable offsets, as the
   * consumer reads committed records only) and updates {@link #lag} and {@link #caughtUp}.
   */
  private void refreshLag() {
    Set<TopicPartition> partitions = consumer.assignment();
    if (partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> ends;
    try {
      ends = consumer.endOffsets(partitions, Duration.ofSeconds(5));
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      // Only the figure is late: consuming goes on, the next refresh asks again.
      LOG.debugf("end offsets not known yet: %s", e.getMessage());
      return;
    }
    if (!startCatchUp.began()) {
      startCatchUp.begin(ends);
    }
    long behind = 0;
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      behind += Math.max(0, end.getValue() - consumer.position(end.getKey()));
    }
    lag = behind;
    if (!caughtUp && startCatchUp.reached(this::position)) {
      caughtUp = true;
      LOG.infof(
          "shard %d/%d caught up with the end offsets it started with",
          settings.shardIndex(), settings.shardCount());
    }
  }

  /** Next offset to read of a partition the replay started with (done when no longer assigned). */
  private long position(TopicPartition tp) {
    return consumer.assignment().contains(tp) ? consumer.position(tp) : Long.MAX_VALUE;
  }

  /** Assigns this shard's partitions of every topic and seeks new ones to the index's offsets. */
  private void assign() {
    Set<TopicPartition> wanted = new HashSet<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String topic : settings.topics()) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      if (partitions == null || partitions.isEmpty()) {
        continue;
      }
      counts.put(topic, partitions.size());
      for (PartitionInfo p : partitions) {
        if (settings.owns(p.partition())) {
          wanted.add(new TopicPartition(topic, p.partition()));
        }
      }
    }
    topicsMissing = counts.size() < settings.topics().size();
    checkPartitionCounts(new PartitionCounts(counts, settings.shardCount()));
    if (wanted.equals(assigned)) {
      return;
    }
    Set<TopicPartition> added = new HashSet<>(wanted);
    added.removeAll(assigned);
    consumer.assign(wanted);
    seek(added);
    if (replay != null && !replay.began() && !wanted.isEmpty()) {
      replay.begin(consumer.endOffsets(wanted));
    }
    assigned = Set.copyOf(wanted);
    LOG.infof(
        "shard %d/%d consumes %d partitions; offsets from the index: %s",
        settings.shardIndex(), settings.shardCount(), wanted.size(), index.appliedOffsets());
  }

  /**
   * Warns once per change of the counts when they let an item's events land on different shards.
   */
  private void checkPartitionCounts(PartitionCounts counts) {
    if (counts.equals(partitionCounts)) {
      return;
    }
    partitionCounts = counts;
    if (counts.splitsItems()) {
      LOG.warnf("shard %d/%d: %s", settings.shardIndex(), settings.shardCount(), counts.warning());
    }
  }

  private void seek(Set<TopicPartition> partitions) {
    Map<String, Long> offsets = index.appliedOffsets();
    List<TopicPartition> fromStart = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      Long next = offsets.get(tp.topic() + ":" + tp.partition());
      if (next == null) {
        fromStart.add(tp);
      } else {
        consumer.seek(tp, next);
      }
    }
    if (!fromStart.isEmpty()) { // an empty list would mean "all assigned partitions"
      consumer.seekToBeginning(fromStart);
    }
  }

  /**
   * After a failed batch nothing of it was written; positions go back to the index's applied
   * offsets, so the batch is read again.
   */
  private void resumeFromIndex() {
    try {
      seek(consumer.assignment());
    } catch (RuntimeException e) {
      LOG.warnf("cannot seek: %s", e.getMessage());
    }
  }

  private void pause() {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (running && System.nanoTime() < until) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }
}
