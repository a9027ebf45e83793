package multimodal.retrieval.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import multimodal.retrieval.index.LuceneMediaIndex;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Applies media.ingest.v1 tombstones (null value, key = media id): the item leaves the index, all
 * model versions. Non-null ingest events are skipped for now: their metadata reaches the index in
 * the embedding event (issue 4 indexes ingest metadata directly).
 */
// Eager, so the counters are exported (at 0) before the first record.
@Startup
@ApplicationScoped
public class IngestTombstoneConsumer {
  private final LuceneMediaIndex index;
  private final Counter deleted;
  private final Counter rejected;

  IngestTombstoneConsumer(LuceneMediaIndex index, MeterRegistry registry) {
    this.index = index;
    this.deleted = registry.counter("retrieval.events.applied", "topic", "media.ingest.v1", "kind", "delete");
    this.rejected = registry.counter("retrieval.events.rejected", "topic", "media.ingest.v1");
  }

  @Incoming(Channels.INGEST_IN)
  @Blocking
  public CompletionStage<Void> consume(Message<byte[]> message) {
    if (message.getPayload() != null) {
      return message.ack();
    }
    EmbeddingConsumer.RecordSource source = EmbeddingConsumer.RecordSource.of(message);
    if (source.key() == null || source.key().isBlank()) {
      Log.warnf("dead-lettering %s: tombstone without a key", source);
      rejected.increment();
      return message.nack(new InvalidEventException("tombstone without a key (media id)"));
    }
    try {
      index.deleteMedia(source.key(), source.offset());
    } catch (RuntimeException e) {
      Log.errorf(e, "cannot delete media %s; dead-lettering the tombstone", source.key());
      rejected.increment();
      return message.nack(new InvalidEventException("index error: " + e.getMessage(), e));
    }
    deleted.increment();
    Log.infof("deleted media %s (tombstone %s)", source.key(), source);
    return message.ack();
  }
}
