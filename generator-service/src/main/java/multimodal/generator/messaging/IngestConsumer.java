package multimodal.generator.messaging;

import com.google.protobuf.Timestamp;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import multimodal.generator.InvalidInputException;
import multimodal.generator.ServedModels;
import multimodal.generator.config.GeneratorConfig;
import multimodal.generator.fetch.UriFetcher;
import multimodal.generator.inference.CaptionModel;
import multimodal.generator.inference.CaptionTaskKind;
import multimodal.generator.inference.DecodingOptions;
import multimodal.generator.inference.Generated;
import multimodal.generator.inference.GenerationControl;
import multimodal.generator.inference.GenerationEngine;
import multimodal.generator.inference.ImageDecoder;
import multimodal.generator.inference.TesseractOcr;
import multimodal.v1.MediaCaptionEvent;
import multimodal.v1.ingest.FetchFailedException;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import multimodal.v1.ingest.InvalidIngestEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Captions (and OCRs) the images of media.ingest.v1 and publishes a MediaCaptionEvent per media to
 * media.caption.v1 (key = media id).
 *
 * <p>Records arrive in batches (a backfill runs one batched generation over up to {@code
 * generator.max-batch-size} images). The {@code uri} sources of a batch are fetched first, up to
 * {@code generator.fetch.concurrency} at once (SSRF-checked; the gateway's claim-check blobs with
 * the internal token), retrying failures that may pass. A poison
 * record (not a valid ingest event, an undecodable image, a URI that cannot be fetched) goes to
 * media.ingest.v1.generator.dlq with a {@code dead-letter-reason} header, and the rest of the batch
 * goes on. The batch is acknowledged
 * only after the broker has acknowledged every output and dead letter; an unexpected failure
 * (inference) fails the batch and the channel's dead-letter strategy takes it. Idempotent: the
 * output is keyed by media id and is the same for the same input (greedy decoding), so a replay
 * overwrites rather than duplicates. Tombstones are skipped.
 */
@ApplicationScoped
public class IngestConsumer {
  static final String REASON_HEADER = "dead-letter-reason";

  private final IngestEventCodec codec = new IngestEventCodec();
  private final ServedModels models;
  private final ImageDecoder decoder;
  private final UriFetcher fetcher;
  private final MutinyEmitter<byte[]> captions;
  private final MutinyEmitter<byte[]> deadLetters;
  private final int maxBatch;
  private final int maxNewTokens;
  private final boolean ocr;
  private final InputOrderPool fetches;

  public IngestConsumer(
      ServedModels models,
      GeneratorConfig config,
      UriFetcher fetcher,
      @Channel(Channels.CAPTIONS_OUT) MutinyEmitter<byte[]> captions,
      @Channel(Channels.DEAD_LETTERS_OUT) MutinyEmitter<byte[]> deadLetters) {
    this.models = models;
    this.decoder = new ImageDecoder(config.images().maxBytes(), config.images().maxPixels());
    this.fetcher = fetcher;
    this.captions = captions;
    this.deadLetters = deadLetters;
    this.maxBatch = Math.max(1, config.maxBatchSize());
    this.maxNewTokens = config.ingest().maxNewTokens();
    this.ocr = config.ingest().ocr() && config.ocr().enabled();
    this.fetches = new InputOrderPool(config.fetch().concurrency(), "ingest-fetch");
  }

  @PreDestroy
  void stop() {
    fetches.close();
  }

  private record Item(ConsumerRecord<String, byte[]> record, IngestEvent event, BufferedImage image) {}

  @Incoming(Channels.INGEST_IN)
  @Blocking
  public void consume(ConsumerRecords<String, byte[]> records) {
    ServedModels.Loaded loaded = models.await();
    List<Uni<Void>> sends = new ArrayList<>();
    List<ConsumerRecord<String, byte[]>> present = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      if (record.value() == null) {
        Log.debugf("tombstone for media %s: nothing to caption", record.key());
      } else {
        present.add(record);
      }
    }
    // URIs are fetched concurrently (bounded); outcomes come back in the batch's order.
    List<InputOrderPool.Outcome<Item>> prepared = fetches.map(present, this::prepare);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < present.size(); i++) {
      ConsumerRecord<String, byte[]> record = present.get(i);
      RuntimeException failure = prepared.get(i).failure();
      if (failure == null) {
        items.add(prepared.get(i).result());
      } else if (failure instanceof InvalidIngestEventException
          || failure instanceof InvalidInputException
          || failure instanceof FetchFailedException) {
        // A fetch still failing after its retries is dead-lettered alone, not with the whole batch.
        Log.warnf("dead-lettering %s-%d@%d (key %s): %s",
            record.topic(), record.partition(), record.offset(), record.key(), failure.getMessage());
        sends.add(deadLetter(record, failure.getMessage()));
      } else {
        throw failure;
      }
    }
    CaptionModel model = models.captioner("");
    DecodingOptions options = DecodingOptions.greedy(maxNewTokens, model.defaults().stopTokens());
    for (int from = 0; from < items.size(); from += maxBatch) {
      List<Item> chunk = items.subList(from, Math.min(items.size(), from + maxBatch));
      List<Generated> generated;
      try (GenerationControl control = GenerationControl.unlimited()) {
        generated = model.caption(chunk.stream().map(Item::image).toList(), CaptionTaskKind.CAPTION,
            options, control, GenerationEngine.TokenListener.NONE);
      }
      for (int i = 0; i < chunk.size(); i++) {
        Item item = chunk.get(i);
        MediaCaptionEvent event = captionEvent(item, generated.get(i), model, loaded.ocr());
        sends.add(captions.sendMessage(Message.of(event.toByteArray()).addMetadata(
            OutgoingKafkaRecordMetadata.<String>builder().withKey(item.event().mediaId()).build())));
      }
    }
    // Blocks until the broker acknowledged everything; a failure fails (and dead-letters) the batch.
    if (!sends.isEmpty()) {
      Uni.join().all(sends).andFailFast().await().indefinitely();
    }
    Log.debugf("captioned %d media, %d dead letters", (Object) items.size(), sends.size() - items.size());
  }

  private Item prepare(ConsumerRecord<String, byte[]> record) {
    IngestEvent event = codec.decode(record.key(), record.value(), headers(record));
    if (event.inline()) {
      return new Item(record, event, decoder.decode(event.data(), "data.bytes"));
    }
    byte[] bytes = fetcher.fetchWithRetries(event.uri(), "data.uri");
    Log.debugf("fetched %d bytes for media %s", bytes.length, event.mediaId());
    return new Item(record, event, decoder.decode(bytes, "data.uri"));
  }

  private MediaCaptionEvent captionEvent(
      Item item, Generated caption, CaptionModel model, Optional<TesseractOcr> tesseract) {
    MediaCaptionEvent.Builder event = MediaCaptionEvent.newBuilder()
        .setMediaId(item.event().mediaId())
        .setTenant(item.event().tenant())
        .setSourceEventId(item.event().eventId())
        .setCaption(caption.text())
        .setCaptionModelName(models.defaultCaptionModel())
        .setCaptionModelVersion(model.version())
        .setCaptionMicros(caption.preprocessMicros() + caption.inferenceMicros());
    if (ocr && tesseract.isPresent()) {
      long start = System.nanoTime();
      event.setOcrText(tesseract.get().read(item.image(), List.of()))
          .setOcrEngine(tesseract.get().engine())
          .setOcrMicros((System.nanoTime() - start) / 1_000);
    }
    Instant now = Instant.now();
    return event.setGeneratedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .build();
  }

  private Uni<Void> deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      headers.add(header);
    }
    headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
    headers.add("dead-letter-topic", record.topic().getBytes(StandardCharsets.UTF_8));
    headers.add("dead-letter-partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
    headers.add("dead-letter-offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
    return deadLetters.sendMessage(Message.of(record.value()).addMetadata(
        OutgoingKafkaRecordMetadata.<String>builder().withKey(record.key()).withHeaders(headers).build()));
  }

  private static Map<String, byte[]> headers(ConsumerRecord<String, byte[]> record) {
    Map<String, byte[]> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), header.value());
    }
    return headers;
  }
}
