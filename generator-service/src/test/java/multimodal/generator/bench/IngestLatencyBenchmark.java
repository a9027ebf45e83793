package multimodal.generator.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.lang.management.ManagementFactory;
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
import multimodal.internalauth.CallTokenClientInterceptor;
import multimodal.internalauth.InternalServices;
import multimodal.internalauth.SigningKeys;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Benchmark (a main, not a test) of ingest → searchable against a running platform (as {@code
 * bin/platform} starts it on 127.0.0.1): produces small image events (64×64 PNGs, or the shared
 * photographs in turn) to media.ingest.v1 at a fixed rate, polls retrieval-service's GetMedia for
 * each until the item has an embedding, and prints p50/p90/p99/max of the time from produce to
 * searchable, then how many were captioned and how many analysed when polling ended.
 *
 * <p>Usage: {@code IngestLatencyBenchmark [events/s] [seconds] [small|photos] [kafka host:port]
 * [retrieval host:port]} (defaults 5, 60, small, 127.0.0.1:9092, 127.0.0.1:8083).
 */
public final class IngestLatencyBenchmark {
  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long POLL_MILLIS = 20;

  private IngestLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    double rate = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    String kind = args.length > 2 ? args[2] : "small";
    String kafka = args.length > 3 ? args[3] : "127.0.0.1:9092";
    String retrieval = args.length > 4 ? args[4] : "127.0.0.1:8083";
    List<byte[]> images =
        kind.equals("photos")
            ? EnrichmentBenchmark.photographs(java.nio.file.Path.of("testdata/images"))
            : EnrichmentBenchmark.smallImages(Math.max(1, (int) Math.ceil(rate * seconds)));
    int count = (int) Math.round(rate * seconds);
    System.out.printf(
        "cores %d, load average %.2f: %d %s events at %.1f/s%n",
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        count,
        kind,
        rate);

    String run = UUID.randomUUID().toString().substring(0, 8);
    Map<String, Long> produced = new ConcurrentHashMap<>();
    Map<String, Long> searchable = new ConcurrentHashMap<>();
    IngestEventCodec codec = new IngestEventCodec();
    ManagedChannel channel = NettyChannelBuilder.forTarget(retrieval).usePlaintext().build();
    ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
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
      long period = (long) (1e9 / rate);
      for (int i = 0; i < count; i++) {
        String mediaId = "latency-" + run + "-" + i;
        byte[] image = images.get(i % images.size());
        clock.schedule(
            () -> {
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
              producer.send(
                  new ProducerRecord<>(
                      "media.ingest.v1",
                      null,
                      mediaId,
                      codec.encodeStructured(event),
                      List.of(
                          new org.apache.kafka.common.header.internals.RecordHeader(
                              "content-type",
                              IngestEventCodec.STRUCTURED_CONTENT_TYPE.getBytes()))));
            },
            i * period,
            TimeUnit.NANOSECONDS);
      }
      // Poll the produced, not yet searchable items until each has an embedding or times out.
      long end = System.nanoTime() + count * period + TIMEOUT_NANOS;
      while (searchable.size() < count && System.nanoTime() < end) {
        for (Map.Entry<String, Long> item : produced.entrySet()) {
          if (!searchable.containsKey(item.getKey()) && embedded(stub, item.getKey())) {
            searchable.put(item.getKey(), System.nanoTime() - item.getValue());
          }
        }
        Thread.sleep(POLL_MILLIS);
      }
      long captioned =
          produced.keySet().stream().filter(id -> media(stub, id).getCaptioned()).count();
      long analysed =
          produced.keySet().stream().filter(id -> media(stub, id).getAnalysed()).count();
      report(count, searchable, captioned, analysed);
    } finally {
      clock.shutdownNow();
      channel.shutdownNow();
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

  private static void report(
      int count, Map<String, Long> searchable, long captioned, long analysed) {
    double[] ms = searchable.values().stream().mapToDouble(n -> n / 1e6).sorted().toArray();
    List<String> parts = new ArrayList<>();
    for (double q : new double[] {0.5, 0.9, 0.99}) {
      parts.add(String.format("p%d %.0f ms", Math.round(q * 100), percentile(ms, q)));
    }
    parts.add(String.format("max %.0f ms", ms.length == 0 ? Double.NaN : ms[ms.length - 1]));
    System.out.printf(
        "ingest -> searchable (embedded), %d/%d within the run + 60 s: %s%n",
        ms.length, count, String.join(", ", parts));
    System.out.printf(
        "when polling ended: captioned (caption + OCR) %d/%d, analysed (tags + safety) %d/%d;"
            + " load average %.2f%n",
        captioned,
        count,
        analysed,
        count,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    if (ms.length < count) {
      System.out.printf(
          "%d never became searchable within the timeout (counted as missing, not in the"
              + " percentiles)%n",
          count - ms.length);
    }
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
