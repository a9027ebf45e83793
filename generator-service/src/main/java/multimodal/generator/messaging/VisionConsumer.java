package multimodal.generator.messaging;

import com.google.protobuf.Timestamp;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import multimodal.generator.config.GeneratorConfig;
import multimodal.generator.fetch.UriFetcher;
import multimodal.generator.inference.image.ImageLoader;
import multimodal.generator.inference.vision.VisionAnalyzer;
import multimodal.generator.inference.vision.VisionResult;
import multimodal.generator.vision.VisionProtos;
import multimodal.generator.vision.VisionService;
import multimodal.media.config.ImageSettings;
import multimodal.v1.MediaVisionEvent;
import multimodal.v1.ingest.ProducerTenants;
import multimodal.v1.tracing.KafkaTraceContext;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Object tags and safety scores for every image of media.ingest.v1, published as a MediaVisionEvent
 * per media to media.vision.v1 (key = media id). Its own consumer group ({@code generator-vision}),
 * so tags arrive while captioning lags and a slow caption model never holds them up; the work runs
 * on {@link VisionService}'s bounded pool. The channel is paused until the vision models are loaded
 * (and stays paused with vision off). Poison records go to media.ingest.v1.vision.dlq ({@link
 * IngestMedia}); tombstones are skipped. The batch is acknowledged after the broker acknowledged
 * every output. Idempotent: the same image gives the same event, keyed by media id.
 */
@ApplicationScoped
public class VisionConsumer {
  private final VisionService vision;
  private final MutinyEmitter<byte[]> events;
  private final IngestMedia<BufferedImage> media;

  public VisionConsumer(
      VisionService vision,
      GeneratorConfig config,
      UriFetcher fetcher,
      @Channel(Channels.VISION_OUT) MutinyEmitter<byte[]> events,
      @Channel(Channels.VISION_DEAD_LETTERS_OUT) MutinyEmitter<byte[]> deadLetters,
      OpenTelemetry openTelemetry) {
    this.vision = vision;
    this.events = events;
    this.media =
        IngestMedia.images(
            new ImageLoader(ImageSettings.decoder(config.images())),
            fetcher,
            config.fetch().concurrency(),
            "vision",
            deadLetters,
            ProducerTenants.fromSettings(config.producers(), "generator.producers"),
            new KafkaTraceContext(openTelemetry));
  }

  @PreDestroy
  void stop() {
    media.close();
  }

  @Incoming(Channels.VISION_IN)
  @Blocking
  public void consume(ConsumerRecords<String, byte[]> records) {
    VisionAnalyzer analyzer = vision.models().await();
    IngestMedia.Batch<BufferedImage> batch = media.prepare(records);
    List<IngestMedia.Item<BufferedImage>> items = batch.items();
    List<Uni<Void>> sends = new ArrayList<>(batch.deadLetters());
    if (!items.isEmpty()) {
      List<VisionResult> results =
          vision.analyze(
              items.stream().map(IngestMedia.Item::media).toList(), vision.settings(), "ingest");
      Instant now = Instant.now();
      for (int i = 0; i < items.size(); i++) {
        IngestMedia.Item<BufferedImage> item = items.get(i);
        MediaVisionEvent event =
            VisionProtos.event(analyzer, results.get(i))
                .setMediaId(item.event().mediaId())
                .setTenant(item.event().tenant())
                .setSourceEventId(item.event().eventId())
                .setFetchMicros(item.fetchMicros())
                .setAnalysedAt(
                    Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .build();
        sends.add(IngestMedia.send(events, item, event.toByteArray()));
      }
    }
    IngestMedia.awaitAll(sends);
    Log.debugf(
        "analysed %d media, %d dead letters", (Object) items.size(), batch.deadLetters().size());
  }
}
