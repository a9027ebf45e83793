package multimodal.generator.messaging;

import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import multimodal.generator.InputOrderPool;
import multimodal.generator.InvalidInputException;
import multimodal.generator.fetch.UriFetcher;
import multimodal.media.fetch.FetchFailedException;
import multimodal.media.process.ScratchFile;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import multimodal.v1.ingest.InvalidIngestEventException;
import multimodal.v1.ingest.ProducerTenants;
import multimodal.v1.tracing.KafkaTraceContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * What every consumer of media.ingest.v1 in this service does before its models run: skip
 * tombstones (retrieval deletes from the topic), decode the event (both CloudEvents modes), skip
 * the items that are not its kind (audio for the caption and vision consumers, images for the
 * speech consumer: another group handles them, so they are not poison), fetch {@code data.uri}
 * sources concurrently ({@code generator.fetch.concurrency}, SSRF-checked, retried when the failure
 * may pass), decode the media (an image, or audio to PCM), and dead-letter each poison record
 * (invalid event, undecodable media, unfetchable URI) alone with a {@value #REASON_HEADER} header
 * plus its topic, partition and offset. Anything else (a bug) propagates and fails the batch.
 *
 * @param <T> what the media are decoded to
 */
public final class IngestMedia<T> implements AutoCloseable {
  public static final String REASON_HEADER = "dead-letter-reason";

  /**
   * A record ready for the models; {@code fetchMicros} is 0 for inline bytes; {@code trace}: the
   * record's producer span, the parent of what is published for it.
   */
  public record Item<T>(
      ConsumerRecord<String, byte[]> record,
      IngestEvent event,
      T media,
      long fetchMicros,
      Context trace) {}

  /**
   * The usable records of a batch, in order, and the sends of the dead letters written for the
   * others. Closing it releases what its items still hold (a video's scratch file not yet cut).
   */
  public record Batch<T>(List<Item<T>> items, List<Uni<Void>> deadLetters)
      implements AutoCloseable {
    @Override
    public void close() {
      items.forEach(item -> release(item.media()));
    }
  }

  /**
   * Decodes the fetched or inline bytes of one event; refusals are {@link InvalidInputException}.
   */
  @FunctionalInterface
  public interface Decoder<T> {
    T decode(byte[] bytes, IngestEvent event, String field);
  }

  /**
   * Decodes audio or video fetched to a scratch file; from then on the file is the decoder's: it
   * closes it when done, or hands it on in what it returns (which then closes it, see {@link
   * #release}).
   */
  @FunctionalInterface
  public interface FileDecoder<T> {
    T decode(ScratchFile file, IngestEvent event, String field);
  }

  private final IngestEventCodec codec;
  private final Predicate<IngestEvent> handles;
  private final Decoder<T> decoder;
  private final UriFetcher fetcher;
  private final InputOrderPool fetches;
  private final MutinyEmitter<byte[]> deadLetters;
  private final KafkaTraceContext traces;
  private ToLongFunction<IngestEvent> fileLimit = event -> 0;
  private FileDecoder<T> fileDecoder;

  /**
   * @param handles the events this consumer processes; the others are skipped (acknowledged with
   *     nothing published and no dead letter)
   * @param producers which tenants each producer may write; other events are dead-lettered
   */
  public IngestMedia(
      Predicate<IngestEvent> handles,
      Decoder<T> decoder,
      UriFetcher fetcher,
      int fetchConcurrency,
      String name,
      MutinyEmitter<byte[]> deadLetters,
      ProducerTenants producers,
      KafkaTraceContext traces) {
    this.codec = new IngestEventCodec(producers);
    if (!producers.enforced()) {
      Log.warnf("%s: %s", name, ProducerTenants.openWarning("generator.producers"));
    }
    this.handles = handles;
    this.decoder = decoder;
    this.fetcher = fetcher;
    this.fetches = new InputOrderPool(fetchConcurrency, name + "-fetch");
    this.deadLetters = deadLetters;
    this.traces = traces;
  }

  /**
   * Fetches the {@code data.uri} of each event for which {@code limit} is positive (large audio and
   * video) into a scratch file under that many bytes, and decodes it with {@code decoder}, instead
   * of fetching it into memory under the image limit.
   */
  public IngestMedia<T> fetchingToFiles(ToLongFunction<IngestEvent> limit, FileDecoder<T> decoder) {
    this.fileLimit = limit;
    this.fileDecoder = decoder;
    return this;
  }

  /** Closes what an item's media hold (a video's scratch file); nothing for the others. */
  private static void release(Object media) {
    if (media instanceof AutoCloseable held) {
      try {
        held.close();
      } catch (Exception e) {
        Log.debugf("releasing %s failed: %s", media, e);
      }
    }
  }

  public Batch<T> prepare(ConsumerRecords<String, byte[]> records) {
    List<ConsumerRecord<String, byte[]>> present = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      if (record.value() == null) {
        Log.debugf("tombstone for media %s: nothing to do", record.key());
      } else {
        present.add(record);
      }
    }
    // URIs are fetched concurrently (bounded); outcomes come back in the batch's order.
    List<InputOrderPool.Outcome<Optional<Item<T>>>> prepared = fetches.map(present, this::prepare);
    List<Item<T>> items = new ArrayList<>();
    List<Uni<Void>> sends = new ArrayList<>();
    for (int i = 0; i < present.size(); i++) {
      ConsumerRecord<String, byte[]> record = present.get(i);
      RuntimeException failure = prepared.get(i).failure();
      if (failure == null) {
        prepared.get(i).result().ifPresent(items::add);
      } else if (failure instanceof InvalidIngestEventException
          || failure instanceof InvalidInputException
          || failure instanceof FetchFailedException) {
        // A fetch still failing after its retries is dead-lettered alone, not with the whole batch.
        Log.warnf(
            "dead-lettering %s-%d@%d (key %s): %s",
            record.topic(),
            record.partition(),
            record.offset(),
            record.key(),
            failure.getMessage());
        sends.add(deadLetter(record, failure.getMessage()));
      } else {
        // A bug: the batch fails, so no item is handed on; scratch files are not left behind.
        prepared.stream()
            .filter(outcome -> outcome.result() != null)
            .forEach(outcome -> outcome.result().ifPresent(item -> release(item.media())));
        throw failure;
      }
    }
    return new Batch<>(items, sends);
  }

  /** Empty when the record is not this consumer's kind of media. */
  private Optional<Item<T>> prepare(ConsumerRecord<String, byte[]> record) {
    Map<String, byte[]> headers = headers(record);
    IngestEvent event = codec.decode(record.key(), record.value(), headers);
    if (!handles.test(event)) {
      Log.debugf(
          "media %s (%s) is not for this consumer: skipped", event.mediaId(), event.contentType());
      return Optional.empty();
    }
    Context trace = traces.producerContext(headers);
    if (event.inline()) {
      return Optional.of(
          new Item<>(record, event, decoder.decode(event.data(), event, "data.bytes"), 0, trace));
    }
    long start = System.nanoTime();
    long toFile = fileDecoder == null ? 0 : fileLimit.applyAsLong(event);
    if (toFile > 0) {
      ScratchFile file = ScratchFile.create("ingest-fetch-");
      try {
        fetcher.fetchToFileWithRetries(event.uri(), "data.uri", file.path(), toFile);
        long fetchMicros = (System.nanoTime() - start) / 1_000;
        return Optional.of(
            new Item<>(
                record, event, fileDecoder.decode(file, event, "data.uri"), fetchMicros, trace));
      } catch (RuntimeException e) {
        file.close();
        throw e;
      }
    }
    byte[] bytes = fetcher.fetchWithRetries(event.uri(), "data.uri");
    long fetchMicros = (System.nanoTime() - start) / 1_000;
    Log.debugf("fetched %d bytes for media %s", bytes.length, event.mediaId());
    return Optional.of(
        new Item<>(record, event, decoder.decode(bytes, event, "data.uri"), fetchMicros, trace));
  }

  /**
   * Writes {@code record} unchanged to this consumer's dead-letter topic with {@code reason} and
   * where it was; for a record the models refused after {@link #prepare}.
   */
  public Uni<Void> deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      headers.add(header);
    }
    headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
    headers.add("dead-letter-topic", record.topic().getBytes(StandardCharsets.UTF_8));
    headers.add(
        "dead-letter-partition",
        Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
    headers.add(
        "dead-letter-offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
    return deadLetters.sendMessage(
        Message.of(record.value())
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(record.key())
                    .withHeaders(headers)
                    .build()));
  }

  /**
   * Publishes one output per item to {@code out}, in order, each built by {@code output} (which may
   * keep state across the items, such as an iterator over a batched step's results); an item whose
   * output is refused with an {@link InvalidInputException} (a video the keyframe extractor
   * refuses) is dead-lettered alone with the reason instead, and the others go on.
   *
   * @param sends collects the sends of the outputs and of the dead letters
   * @return how many items were dead-lettered
   */
  public int publishEach(
      List<Item<T>> items,
      MutinyEmitter<byte[]> out,
      Function<Item<T>, byte[]> output,
      List<Uni<Void>> sends) {
    int deadLetters = 0;
    for (Item<T> item : items) {
      byte[] value;
      try {
        value = output.apply(item);
      } catch (InvalidInputException e) {
        Log.warnf("dead-lettering media %s: %s", item.event().mediaId(), e.getMessage());
        sends.add(deadLetter(item.record(), e.getMessage()));
        deadLetters++;
        continue;
      }
      sends.add(send(out, item, value));
    }
    return deadLetters;
  }

  private static Map<String, byte[]> headers(ConsumerRecord<String, byte[]> record) {
    Map<String, byte[]> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), header.value());
    }
    return headers;
  }

  /**
   * Sends {@code value} for {@code item}, keyed by its media id; the publish span continues the
   * item's trace.
   */
  public static Uni<Void> send(MutinyEmitter<byte[]> emitter, Item<?> item, byte[] value) {
    return emitter.sendMessage(
        Message.of(value)
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(item.event().mediaId())
                    .build())
            .addMetadata(TracingMetadata.withCurrent(item.trace())));
  }

  /**
   * Blocks until the broker acknowledged every send; a failure fails (and dead-letters) the batch.
   */
  public static void awaitAll(List<Uni<Void>> sends) {
    if (!sends.isEmpty()) {
      Uni.join().all(sends).andFailFast().await().indefinitely();
    }
  }

  @Override
  public void close() {
    fetches.close();
  }
}
