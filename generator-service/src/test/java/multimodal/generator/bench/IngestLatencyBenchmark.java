package multimodal.generator.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import multimodal.internalauth.CallTokenClientInterceptor;
import multimodal.internalauth.InternalServices;
import multimodal.internalauth.SigningKeys;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.MediaEmbeddingEvent;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
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

/**
 * Benchmark (a main, not a test) of ingest → searchable against a running platform (as {@code
 * bin/platform} starts it on 127.0.0.1): produces small image events (64×64 PNGs, or the shared
 * photographs in turn) to media.ingest.v1 at a fixed rate, polls retrieval-service's GetMedia for
 * each until the item has an embedding, and prints p50/p90/p99/max of the time from produce to
 * searchable, then how many were captioned and how many analysed when polling ended.
 *
 * <p>It also reads media.embedding.v1, so each item's latency splits into the encoder's part
 * (produce → the encoder's {@code embedded_at}) and the index's part (→ searchable), and prints
 * both per ten-second window of the run: a backlog shows where and when it forms.
 *
 * <p>A warm-up phase at the same rate comes first (default 20 s, reported apart): services that
 * have just started compile their hot paths then, and a user's steady state is what the goal speaks
 * of. Use 0 to measure a cold start.
 *
 * <p>Usage: {@code IngestLatencyBenchmark [events/s] [seconds] [small|photos] [kafka host:port]
 * [retrieval host:port] [warm-up seconds]} (defaults 5, 60, small, 127.0.0.1:9092, 127.0.0.1:8083,
 * 20).
 */
public final class IngestLatencyBenchmark {
  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long POLL_MILLIS = 20;
  // An item is polled again after a twentieth of its age (20 ms at first, at most 250 ms): the
  // figure stays within 5 % of the truth, and a backlog of old items does not flood retrieval
  // with GetMedia calls, which on two cores would slow the very path being measured.
  private static final long MAX_POLL_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

  private IngestLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    double rate = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    String kind = args.length > 2 ? args[2] : "small";
    String kafka = args.length > 3 ? args[3] : "127.0.0.1:9092";
    String retrieval = args.length > 4 ? args[4] : "127.0.0.1:8083";
    int warmUpSeconds = args.length > 5 ? Integer.parseInt(args[5]) : 20;
    List<byte[]> images =
        kind.equals("photos")
            ? EnrichmentBenchmark.photographs(java.nio.file.Path.of("testdata/images"))
            : EnrichmentBenchmark.smallImages(Math.max(1, (int) Math.ceil(rate * seconds)));
    System.out.printf(
        "cores %d, load average %.2f: %s events at %.1f/s, %d s warm-up then %d s measured%n",
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        kind,
        rate,
        warmUpSeconds,
        seconds);

    ManagedChannel channel = NettyChannelBuilder.forTarget(retrieval).usePlaintext().build();
    try (KafkaProducer<String, byte[]> producer = producer(kafka);
        EncoderTimes encoderTimes = EncoderTimes.start(kafka)) {
      // retrieval answers only callers it admits: the bench calls as the gateway, with the key
      // bin/platform generated (or MULTIMODAL_INTERNAL_AUTH_KEY).
      RetrievalServiceGrpc.RetrievalServiceBlockingStub stub =
          CallTokenClientInterceptor.forTenant(
              RetrievalServiceGrpc.newBlockingStub(channel)
                  .withInterceptors(
                      CallTokenClientInterceptor.configured(
                          InternalServices.GATEWAY,
                          Optional.of(internalAuthKey()),
                          Optional.empty())),
              IngestEvent.DEFAULT_TENANT);
      if (warmUpSeconds > 0) {
        Phase warmUp = new Phase("warm-up", rate, warmUpSeconds, images);
        warmUp.run(producer, stub);
        warmUp.report(encoderTimes, false);
      }
      Phase measured = new Phase("measured", rate, seconds, images);
      measured.run(producer, stub);
      measured.report(encoderTimes, true);
    } finally {
      channel.shutdownNow();
    }
  }

  /** One stretch of events at a fixed rate, and what became of each. */
  private static final class Phase {
    private final String name;
    private final int count;
    private final long period;
    private final List<byte[]> images;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final IngestEventCodec codec = new IngestEventCodec();
    private final Map<String, Long> produced = new ConcurrentHashMap<>();
    private final Map<String, Long> producedWallMillis = new ConcurrentHashMap<>();
    private final Map<String, Long> searchable = new ConcurrentHashMap<>();
    private final Map<String, Long> nextPoll = new ConcurrentHashMap<>();
    private long start;
    private long captioned;
    private long analysed;

    Phase(String name, double rate, int seconds, List<byte[]> images) {
      this.name = name;
      this.count = (int) Math.round(rate * seconds);
      this.period = (long) (1e9 / rate);
      this.images = images;
    }

    void run(
        KafkaProducer<String, byte[]> producer,
        RetrievalServiceGrpc.RetrievalServiceBlockingStub stub)
        throws InterruptedException {
      ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
      start = System.nanoTime();
      try {
        for (int i = 0; i < count; i++) {
          String mediaId = "latency-" + run + "-" + i;
          byte[] image = images.get(i % images.size());
          clock.schedule(() -> send(producer, mediaId, image), i * period, TimeUnit.NANOSECONDS);
        }
        // Poll the produced, not yet searchable items until each has an embedding or times out.
        long end = start + count * period + TIMEOUT_NANOS;
        while (searchable.size() < count && System.nanoTime() < end) {
          long now = System.nanoTime();
          for (Map.Entry<String, Long> item : produced.entrySet()) {
            String id = item.getKey();
            if (searchable.containsKey(id) || nextPoll.getOrDefault(id, 0L) > now) {
              continue;
            }
            if (embedded(stub, id)) {
              searchable.put(id, System.nanoTime() - item.getValue());
            } else {
              long age = now - item.getValue();
              long gap = Math.min(MAX_POLL_GAP_NANOS, Math.max(0, age / 20));
              nextPoll.put(id, now + gap);
            }
          }
          Thread.sleep(POLL_MILLIS);
        }
        captioned = produced.keySet().stream().filter(id -> media(stub, id).getCaptioned()).count();
        analysed = produced.keySet().stream().filter(id -> media(stub, id).getAnalysed()).count();
      } finally {
        clock.shutdownNow();
      }
    }

    private void send(KafkaProducer<String, byte[]> producer, String mediaId, byte[] image) {
      IngestEvent event =
          new IngestEvent(
              UUID.randomUUID().toString(),
              "/latency-bench",
              Instant.now(),
              mediaId,
              IngestEvent.DEFAULT_TENANT,
              "image/png",
              null,
              image,
              Map.of(),
              List.of());
      produced.put(mediaId, System.nanoTime());
      producedWallMillis.put(mediaId, System.currentTimeMillis());
      producer.send(
          new ProducerRecord<>(
              "media.ingest.v1",
              null,
              mediaId,
              codec.encodeStructured(event),
              List.of(
                  new org.apache.kafka.common.header.internals.RecordHeader(
                      "content-type", IngestEventCodec.STRUCTURED_CONTENT_TYPE.getBytes()))));
    }

    void report(EncoderTimes encoderTimes, boolean headline) {
      double[] ms = sortedMillis(searchable.values().stream().mapToLong(Long::longValue).toArray());
      System.out.printf(
          "%s: ingest -> searchable (embedded), %d/%d within the run + 60 s: %s%n",
          headline ? "ingest -> searchable" : name, ms.length, count, quantiles(ms));
      if (!headline) {
        System.out.println("  (" + name + " figures above are not the result)");
      }
      // Per window of produce time: how long the encoder took to emit the embedding and how long
      // the index took after that; medians and maxima, so a backlog's start and cause show.
      System.out.println(
          "  window  items  searchable p50/max ms  encoder part p50/max ms  index part p50/max ms");
      int windows = (int) Math.ceil(count * (double) period / WINDOW_NANOS);
      for (int w = 0; w < windows; w++) {
        List<Long> total = new ArrayList<>();
        List<Long> encoder = new ArrayList<>();
        List<Long> index = new ArrayList<>();
        for (Map.Entry<String, Long> item : produced.entrySet()) {
          if ((item.getValue() - start) / WINDOW_NANOS != w) {
            continue;
          }
          Long latency = searchable.get(item.getKey());
          total.add(latency == null ? Long.MAX_VALUE : latency);
          Long embeddedAt = encoderTimes.embeddedAtMillis(item.getKey());
          if (embeddedAt != null && latency != null) {
            long encoderNanos =
                TimeUnit.MILLISECONDS.toNanos(embeddedAt - producedWallMillis.get(item.getKey()));
            encoder.add(encoderNanos);
            index.add(latency - encoderNanos);
          }
        }
        System.out.printf(
            "  %3d-%-3d s %5d  %21s  %23s  %21s%n",
            w * 10,
            w * 10 + 10,
            total.size(),
            medianMax(total),
            medianMax(encoder),
            medianMax(index));
      }
      System.out.printf(
          "  when polling ended: captioned (caption + OCR) %d/%d, analysed (tags + safety) %d/%d;"
              + " load average %.2f%n",
          captioned,
          count,
          analysed,
          count,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      if (ms.length < count) {
        System.out.printf(
            "  %d never became searchable within the timeout (counted as missing, not in the"
                + " percentiles)%n",
            count - ms.length);
      }
    }
  }

  /**
   * The encoder's {@code embedded_at} per media id, read from media.embedding.v1 from the moment
   * the bench starts (no consumer group: nothing is left behind on the broker).
   */
  private static final class EncoderTimes implements AutoCloseable {
    private final Map<String, Long> embeddedAt = new ConcurrentHashMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread reader;

    private EncoderTimes(KafkaConsumer<String, byte[]> consumer) {
      reader =
          new Thread(
              () -> {
                try (consumer) {
                  while (!stop.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                      record(r.value());
                    }
                  }
                }
              },
              "embedding-times");
      reader.setDaemon(true);
      reader.start();
    }

    static EncoderTimes start(String bootstrap) {
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8388608);
      KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> partitions =
          consumer.partitionsFor("media.embedding.v1").stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // resolve the end offsets now, before producing
      return new EncoderTimes(consumer);
    }

    private void record(byte[] value) {
      try {
        MediaEmbeddingEvent event = MediaEmbeddingEvent.parseFrom(value);
        embeddedAt.put(
            event.getMediaId(),
            event.getEmbeddedAt().getSeconds() * 1000 + event.getEmbeddedAt().getNanos() / 1000000);
      } catch (InvalidProtocolBufferException e) {
        // not an embedding event of this bench's; the split is then missing for that item only
      }
    }

    Long embeddedAtMillis(String mediaId) {
      return embeddedAt.get(mediaId);
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      reader.join(5000);
    }
  }

  private static String internalAuthKey() throws java.io.IOException {
    String fromEnv = System.getenv(SigningKeys.KEY_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    java.nio.file.Path file = java.nio.file.Path.of(".local/internal-auth-key");
    if (!java.nio.file.Files.exists(file)) {
      throw new IllegalStateException(
          "set "
              + SigningKeys.KEY_ENV
              + " to the platform's internal-call key, or run from the repository root"
              + " after bin/platform has written "
              + file);
    }
    return java.nio.file.Files.readString(file).strip();
  }

  private static boolean embedded(
      RetrievalServiceGrpc.RetrievalServiceBlockingStub stub, String mediaId) {
    try {
      return stub.withDeadlineAfter(2, TimeUnit.SECONDS)
              .getMedia(
                  GetMediaRequest.newBuilder()
                      .setMediaId(mediaId)
                      .setTenant(IngestEvent.DEFAULT_TENANT)
                      .build())
              .getEmbeddedByCount()
          > 0;
    } catch (io.grpc.StatusRuntimeException e) {
      return false; // NOT_FOUND until the first event for it is indexed
    }
  }

  /** The item as retrieval knows it; empty when it does not (yet). */
  private static GetMediaResponse media(
      RetrievalServiceGrpc.RetrievalServiceBlockingStub stub, String mediaId) {
    try {
      return stub.withDeadlineAfter(2, TimeUnit.SECONDS)
          .getMedia(
              GetMediaRequest.newBuilder()
                  .setMediaId(mediaId)
                  .setTenant(IngestEvent.DEFAULT_TENANT)
                  .build());
    } catch (io.grpc.StatusRuntimeException e) {
      return GetMediaResponse.getDefaultInstance();
    }
  }

  private static double[] sortedMillis(long[] nanos) {
    return java.util.Arrays.stream(nanos).mapToDouble(n -> n / 1e6).sorted().toArray();
  }

  private static String quantiles(double[] sortedMs) {
    List<String> parts = new ArrayList<>();
    for (double q : new double[] {0.5, 0.9, 0.99}) {
      parts.add(String.format("p%d %.0f ms", Math.round(q * 100), percentile(sortedMs, q)));
    }
    parts.add(
        String.format(
            "max %.0f ms", sortedMs.length == 0 ? Double.NaN : sortedMs[sortedMs.length - 1]));
    return String.join(", ", parts);
  }

  /** "p50/max" in ms of nanosecond values; a value of Long.MAX_VALUE (never seen) reads "-". */
  private static String medianMax(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return "-";
    }
    double[] ms =
        sortedMillis(nanos.stream().filter(n -> n != Long.MAX_VALUE).mapToLong(n -> n).toArray());
    String max =
        nanos.contains(Long.MAX_VALUE) ? "never" : String.format("%.0f", ms[ms.length - 1]);
    return String.format("%.0f/%s", percentile(ms, 0.5), max);
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 25165824);
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }
}
