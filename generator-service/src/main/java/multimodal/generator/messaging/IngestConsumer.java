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
import java.util.Optional;
import multimodal.generator.ServedModels;
import multimodal.generator.config.GeneratorConfig;
import multimodal.generator.fetch.UriFetcher;
import multimodal.generator.inference.caption.CaptionModel;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.generation.Generated;
import multimodal.generator.inference.image.ImageLoader;
import multimodal.generator.inference.text.TextPresence;
import multimodal.media.config.ImageSettings;
import multimodal.v1.MediaCaptionEvent;
import multimodal.v1.ingest.ProducerTenants;
import multimodal.v1.tracing.KafkaTraceContext;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Captions (and OCRs) the images of media.ingest.v1 and publishes a MediaCaptionEvent per media to
 * media.caption.v1 (key = media id).
 *
 * <p>Records arrive in batches (a backfill runs one batched generation over up to {@code
 * generator.max-batch-size} images). The {@code uri} sources of a batch are fetched first, up to
 * {@code generator.fetch.concurrency} at once (SSRF-checked; the gateway's claim-check blobs with
 * the internal token), retrying failures that may pass. A poison record (not a valid ingest event,
 * an undecodable image, a URI that cannot be fetched) goes to media.ingest.v1.generator.dlq with a
 * {@code dead-letter-reason} header, and the rest of the batch goes on. The batch is acknowledged
 * only after the broker has acknowledged every output and dead letter; an unexpected failure
 * (inference) fails the batch and the channel's dead-letter strategy takes it. Idempotent: the
 * output is keyed by media id and is the same for the same input (greedy decoding), so a replay
 * overwrites rather than duplicates. Tombstones are skipped.
 */
@ApplicationScoped
public class IngestConsumer {
  private final ServedModels models;
  private final MutinyEmitter<byte[]> captions;
  private final IngestMedia<BufferedImage> media;
  private final CaptionEnrichment enrichment;
  private final int maxNewTokens;
  private final boolean ocr;

  public IngestConsumer(
      ServedModels models,
      GeneratorConfig config,
      UriFetcher fetcher,
      @Channel(Channels.CAPTIONS_OUT) MutinyEmitter<byte[]> captions,
      @Channel(Channels.DEAD_LETTERS_OUT) MutinyEmitter<byte[]> deadLetters,
      OpenTelemetry openTelemetry) {
    this.models = models;
    this.captions = captions;
    this.media =
        IngestMedia.images(
            new ImageLoader(ImageSettings.decoder(config.images())),
            fetcher,
            config.fetch().concurrency(),
            "ingest",
            deadLetters,
            ProducerTenants.fromSettings(config.producers(), "generator.producers"),
            new KafkaTraceContext(openTelemetry));
    this.enrichment =
        new CaptionEnrichment(
            config.ocr().textCheck() ? Optional.of(new TextPresence()) : Optional.empty(),
            config.maxBatchSize(),
            config.enrichment().resolvedConcurrency());
    this.maxNewTokens = config.ingest().maxNewTokens();
    this.ocr = config.ingest().ocr() && config.ocr().enabled();
  }

  @PreDestroy
  void stop() {
    media.close();
    enrichment.close();
  }

  @Incoming(Channels.INGEST_IN)
  @Blocking
  public void consume(ConsumerRecords<String, byte[]> records) {
    ServedModels.Loaded loaded = models.await();
    IngestMedia.Batch<BufferedImage> batch = media.prepare(records);
    List<IngestMedia.Item<BufferedImage>> items = batch.items();
    List<Uni<Void>> sends = new ArrayList<>(batch.deadLetters());
    CaptionModel model = models.captioner("");
    DecodingOptions options = DecodingOptions.greedy(maxNewTokens, model.defaults().stopTokens());
    List<CaptionEnrichment.Enriched> enriched =
        enrichment.enrich(
            model,
            ocr ? loaded.ocr() : Optional.empty(),
            items.stream().map(IngestMedia.Item::media).toList(),
            options);
    for (int i = 0; i < items.size(); i++) {
      IngestMedia.Item<BufferedImage> item = items.get(i);
      MediaCaptionEvent event = captionEvent(item, enriched.get(i), model, loaded);
      sends.add(IngestMedia.send(captions, item, event.toByteArray()));
    }
    IngestMedia.awaitAll(sends);
    Log.debugf(
        "captioned %d media, %d dead letters", (Object) items.size(), batch.deadLetters().size());
  }

  private MediaCaptionEvent captionEvent(
      IngestMedia.Item<BufferedImage> item,
      CaptionEnrichment.Enriched enriched,
      CaptionModel model,
      ServedModels.Loaded loaded) {
    Generated caption = enriched.caption();
    MediaCaptionEvent.Builder event =
        MediaCaptionEvent.newBuilder()
            .setMediaId(item.event().mediaId())
            .setTenant(item.event().tenant())
            .setSourceEventId(item.event().eventId())
            .setCaption(caption.text())
            .setCaptionModelName(models.defaultCaptionModel())
            .setCaptionModelVersion(model.version())
            .setCaptionModelFixture(loaded.fixture(models.defaultCaptionModel()))
            .setCaptionMicros(caption.preprocessMicros() + caption.inferenceMicros());
    enriched
        .ocr()
        .ifPresent(
            text ->
                event
                    .setOcrText(text.text())
                    .setOcrEngine(text.engine())
                    .setOcrMicros(text.micros()));
    Instant now = Instant.now();
    return event
        .setGeneratedAt(
            Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .build();
  }
}
