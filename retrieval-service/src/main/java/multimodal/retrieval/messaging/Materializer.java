package multimodal.retrieval.messaging;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import multimodal.retrieval.QueryEncoder;
import multimodal.retrieval.config.IndexProducer;
import multimodal.retrieval.config.RetrievalConfig;
import multimodal.retrieval.config.ShardOrdinal;
import multimodal.retrieval.index.IndexUpdater;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.v1.Topics;
import multimodal.v1.ingest.ProducerTenants;

/**
 * Starts the {@link IndexMaterializer} with the application and stops it before the index closes.
 */
@ApplicationScoped
public class Materializer {
  /** The topics materialised into the index. */
  public static final List<String> TOPICS =
      List.of(
          Topics.MEDIA_INGEST,
          Topics.MEDIA_EMBEDDING,
          Topics.MEDIA_CAPTION,
          Topics.MEDIA_VISION,
          Topics.MEDIA_TRANSCRIPT);

  private final LuceneMediaIndex index;
  private final QueryEncoder encoder;
  private final RetrievalConfig config;
  private final MeterRegistry registry;
  private final Map<String, Object> kafkaConfig;
  private final OpenTelemetry openTelemetry;
  private volatile IndexMaterializer materializer;

  Materializer(
      LuceneMediaIndex index,
      QueryEncoder encoder,
      RetrievalConfig config,
      MeterRegistry registry,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
      OpenTelemetry openTelemetry) {
    this.openTelemetry = openTelemetry;
    this.index = index;
    this.encoder = encoder;
    this.config = config;
    this.registry = registry;
    this.kafkaConfig = kafkaConfig;
  }

  void start(@Observes StartupEvent event) {
    if (!config.consumer().enabled()) {
      Log.info("retrieval.consumer.enabled=false: not consuming the media topics");
      return;
    }
    warmUp();
    IndexMaterializer.Settings settings = settings(config, kafkaConfig, ShardOrdinal::hostname);
    IndexUpdater updater =
        new IndexUpdater(
            index,
            encoder,
            config.encoder().textModel(),
            config.search().defaultTenant(),
            config.consumer().encoderRetry());
    IndexMaterializer m =
        new IndexMaterializer(
            settings,
            index,
            updater,
            new RecordDecoder(config.search().defaultTenant(), producerTenants(config)),
            new MaterializerTracing(openTelemetry));
    FunctionCounter.builder("retrieval.events.applied", m, IndexMaterializer::appliedCount)
        .description("records applied to the index since start")
        .register(registry);
    FunctionCounter.builder("retrieval.events.rejected", m, IndexMaterializer::rejectedCount)
        .description("records dead-lettered since start")
        .register(registry);
    Gauge.builder("retrieval.materialiser.lag.records", m, i -> i.lag() < 0 ? Double.NaN : i.lag())
        .description(
            "records of this shard's partitions not yet applied to the index (end offset -"
                + " position, summed); the materialiser has no consumer group for lag tools to see")
        .register(registry);
    Gauge.builder(
            "retrieval.index.segments", index, i -> i.isOpen() ? i.segmentCount() : Double.NaN)
        .description("segments searched; each has its own HNSW graph that every kNN query searches")
        .register(registry);
    Gauge.builder("retrieval.index.replay.merge.seconds", m, i -> i.replayMerge().seconds())
        .description(
            "how long the force-merge after a replay from the beginning took (0 until one"
                + " finished)")
        .register(registry);
    m.start();
    materializer = m;
  }

  /** Compiles the write and search path on a scratch index before the real one is consumed into. */
  private void warmUp() {
    long start = System.nanoTime();
    try {
      int items =
          new MaterializerWarmUp(
                  IndexProducer.settings(config),
                  config.search().defaultTenant(),
                  config.index().warmUpItems())
              .run();
      if (items > 0) {
        Log.infof(
            "index path warmed up on a scratch index (%d items) in %d ms",
            items, (System.nanoTime() - start) / 1_000_000);
      }
    } catch (RuntimeException e) {
      // Only the first minute's latency is at stake: consume anyway, and say why it may be slow.
      Log.warnf(e, "the index warm-up failed: %s", e.getMessage());
    }
  }

  /**
   * The materialiser's settings: the shard from {@code retrieval.shard.index} or the host name's
   * ordinal ({@link ShardOrdinal}), and the Kafka client settings every SmallRye channel gets.
   */
  static IndexMaterializer.Settings settings(
      RetrievalConfig config, Map<String, ?> kafkaConfig, Supplier<String> hostname) {
    int shard = ShardOrdinal.resolve(config.shard().index(), config.shard().count(), hostname);
    return new IndexMaterializer.Settings(
        KafkaClientProperties.shared(kafkaConfig),
        TOPICS,
        shard,
        config.shard().count(),
        config.index().commitInterval(),
        config.consumer().maxPollRecords(),
        "retrieval-service-shard-" + shard,
        config.index().mergeAfterReplaySegments());
  }

  /**
   * The producer rule of media.ingest.v1 from {@code retrieval.producers}; refuses a bad setting at
   * start.
   */
  static ProducerTenants producerTenants(RetrievalConfig config) {
    ProducerTenants rule = ProducerTenants.fromSettings(config.producers(), "retrieval.producers");
    if (!rule.enforced()) {
      Log.warn(ProducerTenants.openWarning("retrieval.producers"));
    }
    return rule;
  }

  void stop(@Observes ShutdownEvent event) {
    IndexMaterializer m = materializer;
    if (m != null) {
      m.close();
    }
  }

  /** Null when consuming is off. */
  public IndexMaterializer current() {
    return materializer;
  }
}
