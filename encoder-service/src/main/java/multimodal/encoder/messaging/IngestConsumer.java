package multimodal.encoder.messaging;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import multimodal.encoder.Embedding;
import multimodal.encoder.EncoderMetrics;
import multimodal.encoder.InvalidInputException;
import multimodal.encoder.Embedder;
import multimodal.encoder.config.EncoderConfig;
import multimodal.encoder.inference.EmbeddingModel;
import multimodal.v1.MediaEmbeddingEvent;
import multimodal.v1.ingest.FetchFailedException;
import multimodal.v1.ingest.FetchRefusedException;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import multimodal.v1.ingest.InvalidIngestEventException;
import multimodal.v1.ingest.MediaFetcher;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Embeds every image of media.ingest.v1 with the default model and publishes a
 * MediaEmbeddingEvent to media.embedding.v1 (key = media id).
 *
 * <p>The input record is acknowledged only after the broker has acknowledged the output. An
 * exception from {@link #consume} nacks the record, and the channel's dead-letter-queue failure
 * strategy writes it to media.ingest.v1.encoder.dlq with the exception message in the {@code
 * dead-letter-reason} header; the consumer goes on with the next record. Tombstones are skipped:
 * there is nothing to embed, and deleting is the index's job.
 */
@ApplicationScoped
public class IngestConsumer {
  private final IngestEventCodec codec;
  private final Embedder embedder;
  private final MediaFetcher fetcher;
  private final EncoderMetrics metrics;
  private final MutinyEmitter<byte[]> embeddings;
  private final String defaultModel;
  private final int fetchAttempts;

  public IngestConsumer(
      IngestEventCodec codec,
      Embedder embedder,
      MediaFetcher fetcher,
      EncoderMetrics metrics,
      EncoderConfig config,
      @Channel(Channels.EMBEDDINGS_OUT) MutinyEmitter<byte[]> embeddings) {
    this.codec = codec;
    this.embedder = embedder;
    this.fetcher = fetcher;
    this.metrics = metrics;
    this.embeddings = embeddings;
    this.defaultModel = config.defaultModel();
    this.fetchAttempts = Math.max(1, config.fetch().attempts());
  }

  @Incoming(Channels.INGEST_IN)
  // Ordered (one record at a time): two events of the same media id must not overtake each other.
  // The record still goes through the shared batcher, so it joins concurrent gRPC work.
  @Blocking
  public void consume(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      Log.debugf("tombstone for media %s: nothing to embed", record.key());
      return;
    }
    try {
      embed(record);
    } catch (InvalidIngestEventException | InvalidInputException e) {
      metrics.failed(e instanceof InvalidIngestEventException ? "invalid-event" : "invalid-media");
      Log.warnf("dead-lettering %s-%d@%d (key %s): %s",
          record.topic(), record.partition(), record.offset(), record.key(), e.getMessage());
      throw e;
    } catch (RuntimeException e) {
      metrics.failed("error");
      Log.errorf(e, "dead-lettering %s-%d@%d (key %s)",
          record.topic(), record.partition(), record.offset(), record.key());
      throw e;
    }
  }

  private void embed(ConsumerRecord<String, byte[]> record) {
    IngestEvent event = codec.decode(record.key(), record.value(), headers(record));
    EmbeddingModel model = embedder.awaitModel(defaultModel);

    long fetchStart = System.nanoTime();
    String field = event.inline() ? "data.bytes" : "data.uri";
    byte[] bytes = event.inline() ? event.data() : fetch(event.uri(), field);
    float[] pixels = model.preprocess(bytes, field);
    long fetchMicros = (System.nanoTime() - fetchStart) / 1_000;

    long inferenceStart = System.nanoTime();
    // Through the shared batcher: records in flight together run in one session call.
    Embedding embedding = embedder.embedPixels(model, List.of(pixels), Long.MAX_VALUE).get(0);
    long inferenceNanos = System.nanoTime() - inferenceStart;

    MediaEmbeddingEvent out =
        EmbeddingEvents.of(event, embedding, Instant.now(), fetchMicros, inferenceNanos / 1_000);
    // Blocks until the broker acknowledges; a failure nacks the input instead of losing it.
    embeddings.sendMessageAndAwait(
        Message.of(out.toByteArray())
            .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.mediaId()).build()));
    metrics.embedded();
    Log.debugf("embedded media %s (event %s, %d bytes) in %d us",
        event.mediaId(), event.eventId(), bytes.length, fetchMicros + inferenceNanos / 1_000);
  }

  /** Fetches, retrying failures that may pass; the last one dead-letters the record. */
  private byte[] fetch(String uri, String field) {
    FetchFailedException last = null;
    for (int attempt = 1; attempt <= fetchAttempts; attempt++) {
      try {
        return fetcher.fetch(uri, field).bytes();
      } catch (FetchRefusedException e) {
        throw new InvalidInputException(e.field(), e.description(), e);
      } catch (FetchFailedException e) {
        last = e;
        Log.warnf("fetch attempt %d of %d failed: %s", attempt, fetchAttempts, e.getMessage());
      }
    }
    throw last;
  }

  private static Map<String, byte[]> headers(ConsumerRecord<String, byte[]> record) {
    Map<String, byte[]> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), header.value());
    }
    return headers;
  }
}
