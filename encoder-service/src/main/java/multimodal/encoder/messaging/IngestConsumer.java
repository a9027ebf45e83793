package multimodal.encoder.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import multimodal.encoder.Embedder;
import multimodal.encoder.Embedding;
import multimodal.encoder.EncoderMetrics;
import multimodal.encoder.InvalidInputException;
import multimodal.encoder.config.EncoderConfig;
import multimodal.encoder.inference.EmbeddingModel;
import multimodal.encoder.video.ItemVector;
import multimodal.encoder.video.VideoKeyframeInputs;
import multimodal.media.config.FetchSettings;
import multimodal.media.fetch.FetchFailedException;
import multimodal.media.fetch.FetchRefusedException;
import multimodal.media.fetch.FetchRetry;
import multimodal.media.fetch.MediaFetcher;
import multimodal.media.process.ScratchFile;
import multimodal.media.video.InvalidVideoException;
import multimodal.media.video.VideoKeyframes;
import multimodal.v1.MediaEmbeddingEvent;
import multimodal.v1.ingest.AudioTypes;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import multimodal.v1.ingest.InvalidIngestEventException;
import multimodal.v1.ingest.VideoTypes;
import multimodal.v1.tracing.KafkaTraceContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Embeds every image of media.ingest.v1 with the default model and publishes a MediaEmbeddingEvent
 * to media.embedding.v1 (key = media id).
 *
 * <p>Records arrive in batches (up to {@code max.poll.records}). Each record is decoded, its {@code
 * uri} fetched (SSRF-checked, retried while the failure may pass) and its image preprocessed on a
 * bounded pool ({@code encoder.fetch.concurrency} at a time); then all images of the batch go to
 * the shared batcher together, so they run in as few session calls as {@code
 * encoder.batching.max-batch-size} allows (and still share them with concurrent gRPC work). One
 * event per record is sent, in input order, so records with the same key stay in order.
 *
 * <p>A poison record (not a valid ingest event, an undecodable or oversized image, a URI that is
 * refused or still fails after its retries) goes alone to media.ingest.v1.encoder.dlq through
 * {@link DeadLetters}, with the {@code dead-letter-reason} header; the rest of the batch goes on.
 * The batch is acknowledged only after the broker acknowledged every event and dead letter; an
 * unexpected failure (inference, a send) fails the batch and the channel's dead-letter strategy
 * takes it. Tombstones are skipped: there is nothing to embed, and deleting is the index's job.
 * Audio items ({@code audio/*} content types) are skipped too, neither embedded nor dead-lettered:
 * the generator transcribes them.
 *
 * <p>Video items ({@code video/mp4}, {@code video/webm}) are fetched the same way; their keyframes
 * ({@link VideoKeyframes}: scene changes plus a maximum interval) are preprocessed like images and
 * go to the batcher with the batch's images, and the event carries each keyframe's vector with its
 * time range ({@code segments}) and the item vector ({@link ItemVector}). A video that is refused
 * (another video type, a mislabelled, corrupt, truncated or over-limit file) is a poison record
 * like an undecodable image, with the decoder's reason.
 */
@ApplicationScoped
public class IngestConsumer {
  private final IngestEventCodec codec;
  private final Embedder embedder;
  private final EncoderMetrics metrics;
  private final MutinyEmitter<byte[]> embeddings;
  private final DeadLetters deadLetters;
  private final String defaultModel;
  private final FetchRetry fetchRetry;
  private final ExecutorService pool;
  private final KafkaTraceContext traces;
  private final VideoKeyframes keyframes;

  /**
   * One record made ready to embed (an image's one input, or a video's keyframes), or the reason it
   * is poison, or skipped (audio).
   */
  private record Prepared(
      ConsumerRecord<String, byte[]> record,
      IngestEvent event,
      List<float[]> pixels,
      VideoKeyframeInputs video,
      long fetchMicros,
      RuntimeException poison,
      boolean skipped) {}

  public IngestConsumer(
      IngestEventCodec codec,
      Embedder embedder,
      MediaFetcher fetcher,
      VideoKeyframes keyframes,
      EncoderMetrics metrics,
      EncoderConfig config,
      @Channel(Channels.EMBEDDINGS_OUT) MutinyEmitter<byte[]> embeddings,
      @Channel(Channels.DEAD_LETTERS_OUT) MutinyEmitter<byte[]> deadLetters,
      OpenTelemetry openTelemetry) {
    this.codec = codec;
    this.traces = new KafkaTraceContext(openTelemetry);
    this.embedder = embedder;
    this.keyframes = keyframes;
    this.metrics = metrics;
    this.embeddings = embeddings;
    this.deadLetters = new DeadLetters(deadLetters);
    this.defaultModel = config.defaultModel();
    this.fetchRetry = FetchSettings.retry(config.fetch(), fetcher, Log::warn);
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            Math.max(1, config.fetch().concurrency()),
            task -> {
              Thread thread = new Thread(task, "ingest-prepare-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  @Incoming(Channels.INGEST_IN)
  // Ordered: one batch at a time, outputs in record order, so two events of one media id never
  // overtake each other.
  @Blocking
  public void consume(ConsumerRecords<String, byte[]> records) {
    EmbeddingModel model = embedder.awaitModel(defaultModel);
    List<CompletableFuture<Prepared>> pending = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      if (record.value() == null) {
        Log.debugf("tombstone for media %s: nothing to embed", record.key());
      } else {
        pending.add(CompletableFuture.supplyAsync(() -> prepare(record, model), pool));
      }
    }
    List<Prepared> good = new ArrayList<>(pending.size());
    List<Uni<Void>> sends = new ArrayList<>();
    for (CompletableFuture<Prepared> future : pending) {
      Prepared item = join(future);
      if (item.skipped()) {
        continue;
      }
      if (item.poison() == null) {
        good.add(item);
      } else {
        sends.add(deadLetters.send(item.record(), item.poison()));
      }
    }
    int deadLettered = sends.size();
    try {
      sends.addAll(embed(model, good));
      // Blocks until the broker acknowledged everything; a failure fails the whole batch.
      if (!sends.isEmpty()) {
        Uni.join().all(sends).andFailFast().await().indefinitely();
      }
    } catch (RuntimeException e) {
      good.forEach(item -> metrics.failed("error"));
      Log.errorf(
          e,
          "batch of %d records failed (%d to dead-letter one by one)",
          records.count(),
          deadLettered);
      throw e;
    }
    good.forEach(item -> metrics.embedded());
    Log.debugf("embedded %d media in one batch, %d dead letters", good.size(), deadLettered);
  }

  /**
   * Embeds the images and video keyframes of the batch in one submission to the batcher; one send
   * per item, in order.
   */
  private List<Uni<Void>> embed(EmbeddingModel model, List<Prepared> items) {
    if (items.isEmpty()) {
      return List.of();
    }
    long inferenceStart = System.nanoTime();
    List<Embedding> vectors =
        embedder.embedPixels(
            model, items.stream().flatMap(item -> item.pixels().stream()).toList(), Long.MAX_VALUE);
    long inferenceMicros = (System.nanoTime() - inferenceStart) / 1_000;
    Instant now = Instant.now();
    List<Uni<Void>> sends = new ArrayList<>(items.size());
    int next = 0;
    for (Prepared item : items) {
      List<Embedding> own = vectors.subList(next, next + item.pixels().size());
      next += own.size();
      MediaEmbeddingEvent out =
          item.video() == null
              ? EmbeddingEvents.of(
                  item.event(),
                  own.get(0),
                  model.fixture(),
                  now,
                  item.fetchMicros(),
                  inferenceMicros)
              : EmbeddingEvents.ofVideo(
                  item.event(),
                  ItemVector.of(own, item.video().times()),
                  own,
                  item.video().times(),
                  item.video().durationMs(),
                  model.fixture(),
                  now,
                  item.fetchMicros(),
                  inferenceMicros);
      sends.add(
          embeddings.sendMessage(
              Message.of(out.toByteArray())
                  .addMetadata(
                      OutgoingKafkaRecordMetadata.<String>builder()
                          .withKey(item.event().mediaId())
                          .build())
                  // The event's publish span continues the upload's trace (its parent: the
                  // ingest record's producer span).
                  .addMetadata(
                      TracingMetadata.withCurrent(
                          traces.producerContext(headers(item.record()))))));
    }
    return sends;
  }

  /** Decodes, fetches and preprocesses one record (on the pool); poison is returned, not thrown. */
  private Prepared prepare(ConsumerRecord<String, byte[]> record, EmbeddingModel model) {
    try {
      IngestEvent event = codec.decode(record.key(), record.value(), headers(record));
      if (AudioTypes.isAudio(event.contentType())) {
        // Audio has no image to embed: the generator's speech group transcribes it.
        Log.debugf("media %s is audio (%s): not embedded", event.mediaId(), event.contentType());
        return new Prepared(record, event, null, null, 0, null, true);
      }
      long start = System.nanoTime();
      String field = event.inline() ? "data.bytes" : "data.uri";
      if (VideoTypes.isVideo(event.contentType())) {
        // Refuse an unsupported type before fetching what would not be decoded anyway.
        supportedVideo(event.contentType());
        VideoKeyframeInputs video = videoInputs(event, model, field);
        return new Prepared(
            record, event, video.pixels(), video, (System.nanoTime() - start) / 1_000, null, false);
      }
      byte[] bytes = event.inline() ? event.data() : fetch(event.uri(), field);
      float[] pixels = embedder.preprocess(model, bytes, field, Long.MAX_VALUE);
      return new Prepared(
          record, event, List.of(pixels), null, (System.nanoTime() - start) / 1_000, null, false);
    } catch (InvalidIngestEventException | InvalidInputException | FetchFailedException e) {
      metrics.failed(
          e instanceof InvalidIngestEventException
              ? "invalid-event"
              : e instanceof InvalidInputException ? "invalid-media" : "fetch-failed");
      Log.warnf(
          "dead-lettering %s-%d@%d (key %s): %s",
          record.topic(), record.partition(), record.offset(), record.key(), e.getMessage());
      return new Prepared(record, null, null, null, 0, e, false);
    }
  }

  private static void supportedVideo(String contentType) {
    try {
      VideoKeyframes.supportedType(contentType);
    } catch (InvalidVideoException e) {
      throw new InvalidInputException(e.field(), e.reason(), e);
    }
  }

  /**
   * A video's keyframes made ready: inline bytes as they are; a {@code uri} fetched to a scratch
   * file under {@code encoder.video.max-bytes} (a video may be far larger than an image), which
   * FFmpeg reads where it lies and which is removed as soon as the keyframes are out.
   */
  private VideoKeyframeInputs videoInputs(IngestEvent event, EmbeddingModel model, String field) {
    if (event.inline()) {
      return VideoKeyframeInputs.prepare(
          keyframes, embedder, model, event.data(), event.contentType(), field);
    }
    try (ScratchFile file = ScratchFile.create("video-fetch-")) {
      try {
        fetchRetry.fetchToFile(event.uri(), field, file.path(), keyframes.limits().maxBytes());
      } catch (FetchRefusedException e) {
        throw new InvalidInputException(e.field(), e.description(), e);
      }
      return VideoKeyframeInputs.prepare(
          keyframes, embedder, model, file.path(), event.contentType(), field);
    }
  }

  /** Fetches, retrying failures that may pass; the last one makes the record poison. */
  private byte[] fetch(String uri, String field) {
    try {
      return fetchRetry.fetch(uri, field).bytes();
    } catch (FetchRefusedException e) {
      throw new InvalidInputException(e.field(), e.description(), e);
    }
  }

  private static Prepared join(CompletableFuture<Prepared> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
    }
  }

  private static Map<String, byte[]> headers(ConsumerRecord<String, byte[]> record) {
    Map<String, byte[]> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), header.value());
    }
    return headers;
  }

  @PreDestroy
  void close() {
    pool.shutdownNow();
  }
}
