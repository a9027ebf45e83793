package multimodal.generator.messaging;

import com.google.protobuf.Timestamp;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import multimodal.generator.ServedModels;
import multimodal.generator.config.GeneratorConfig;
import multimodal.generator.fetch.UriFetcher;
import multimodal.generator.inference.caption.CaptionModel;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.text.TesseractOcr;
import multimodal.generator.inference.text.TextPresence;
import multimodal.media.video.VideoKeyframes;
import multimodal.v1.MediaCaptionEvent;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Captions (and OCRs) the images and videos of media.ingest.v1 and publishes a MediaCaptionEvent
 * per media to media.caption.v1 (key = media id).
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
 * overwrites rather than duplicates. Tombstones are skipped; audio is the speech group's.
 *
 * <p>Videos ({@code video/mp4}, {@code video/webm}) are cut into keyframes one at a time, after the
 * batch's images ({@link VideoCaptions}, {@code generator.video.*}: at most {@code max-frames}
 * keyframes each); every keyframe is captioned and OCR'd like an image and the item gets one event
 * with a segment per keyframe and a summary caption and OCR text ({@link CaptionEvents}). A video
 * the decoder refuses (another video type, a mislabelled, corrupt, truncated or over-limit file) is
 * dead-lettered alone with the decoder's reason.
 */
@ApplicationScoped
public class IngestConsumer {
  private final ServedModels models;
  private final MutinyEmitter<byte[]> captions;
  private final IngestMedia<CaptionInput> media;
  private final CaptionEnrichment enrichment;
  private final VideoCaptions videos;
  private final int maxNewTokens;
  private final boolean ocr;

  public IngestConsumer(
      ServedModels models,
      GeneratorConfig config,
      UriFetcher fetcher,
      VideoKeyframes keyframes,
      @Channel(Channels.CAPTIONS_OUT) MutinyEmitter<byte[]> captions,
      @Channel(Channels.DEAD_LETTERS_OUT) MutinyEmitter<byte[]> deadLetters,
      OpenTelemetry openTelemetry) {
    this.models = models;
    this.captions = captions;
    this.media = CaptionInput.ingestMedia(config, fetcher, "ingest", deadLetters, openTelemetry);
    this.enrichment =
        new CaptionEnrichment(
            config.ocr().textCheck() ? Optional.of(new TextPresence()) : Optional.empty(),
            config.maxBatchSize(),
            config.enrichment().resolvedConcurrency());
    this.videos = new VideoCaptions(keyframes, enrichment);
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
    try (IngestMedia.Batch<CaptionInput> batch = media.prepare(records)) {
      caption(loaded, batch);
    }
  }

  private void caption(ServedModels.Loaded loaded, IngestMedia.Batch<CaptionInput> batch) {
    List<IngestMedia.Item<CaptionInput>> items = batch.items();
    List<Uni<Void>> sends = new ArrayList<>(batch.deadLetters());
    CaptionModel model = models.captioner("");
    DecodingOptions options = DecodingOptions.greedy(maxNewTokens, model.defaults().stopTokens());
    Optional<TesseractOcr> tesseract = ocr ? loaded.ocr() : Optional.empty();
    // The batch's still images in one batched step; videos one by one below, in input order.
    Iterator<CaptionEnrichment.Enriched> enriched =
        enrichment.enrich(model, tesseract, CaptionInput.stills(items), options).iterator();
    int videoDeadLetters =
        media.publishEach(
            items,
            captions,
            item ->
                withItem(
                    item.media() instanceof CaptionInput.Video video
                        ? CaptionEvents.video(videos.caption(video, model, tesseract, options))
                        : CaptionEvents.image(enriched.next()),
                    item,
                    model,
                    loaded),
            sends);
    IngestMedia.awaitAll(sends);
    Log.debugf(
        "captioned %d media, %d dead letters",
        (Object) (items.size() - videoDeadLetters), batch.deadLetters().size() + videoDeadLetters);
  }

  /** The event's identity, models and time. */
  private byte[] withItem(
      MediaCaptionEvent.Builder event,
      IngestMedia.Item<CaptionInput> item,
      CaptionModel model,
      ServedModels.Loaded loaded) {
    Instant now = Instant.now();
    return event
        .setMediaId(item.event().mediaId())
        .setTenant(item.event().tenant())
        .setSourceEventId(item.event().eventId())
        .setCaptionModelName(models.defaultCaptionModel())
        .setCaptionModelVersion(model.version())
        .setCaptionModelFixture(loaded.fixture(models.defaultCaptionModel()))
        .setGeneratedAt(
            Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .build()
        .toByteArray();
  }
}
