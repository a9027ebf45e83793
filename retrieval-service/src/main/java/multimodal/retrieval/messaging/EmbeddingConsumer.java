package multimodal.retrieval.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.SourceOffset;
import multimodal.retrieval.config.RetrievalConfig;
import multimodal.retrieval.index.LuceneMediaIndex;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Upserts each media.embedding.v1 record into the index (idempotent per media id + model
 * version). A record that cannot be indexed is nacked, which sends it to the dead-letter topic
 * with the reason; the next record is still applied.
 */
// Eager, so the counters are exported (at 0) before the first record.
@Startup
@ApplicationScoped
public class EmbeddingConsumer {
  private final LuceneMediaIndex index;
  private final EmbeddingEventMapper mapper;
  private final Counter applied;
  private final Counter rejected;

  EmbeddingConsumer(LuceneMediaIndex index, RetrievalConfig config, MeterRegistry registry) {
    this.index = index;
    this.mapper = new EmbeddingEventMapper(config.search().defaultTenant());
    this.applied = registry.counter("retrieval.events.applied", "topic", "media.embedding.v1", "kind", "upsert");
    this.rejected = registry.counter("retrieval.events.rejected", "topic", "media.embedding.v1");
  }

  @Incoming(Channels.EMBEDDINGS_IN)
  @Blocking
  public CompletionStage<Void> consume(Message<byte[]> message) {
    RecordSource source = RecordSource.of(message);
    try {
      MediaEmbedding embedding = mapper.fromRecord(source.key(), message.getPayload());
      index.upsert(embedding, source.offset());
      applied.increment();
      Log.debugf("indexed %s from %s", embedding, source);
      return message.ack();
    } catch (InvalidEventException e) {
      return reject(message, source, e);
    } catch (IllegalArgumentException e) {
      // Zero vector, dimension change of a model version: the record itself is at fault.
      return reject(message, source, new InvalidEventException(e.getMessage(), e));
    } catch (RuntimeException e) {
      Log.errorf(e, "cannot index %s; dead-lettering it", source);
      rejected.increment();
      return message.nack(new InvalidEventException("index error: " + e.getMessage(), e));
    }
  }

  private CompletionStage<Void> reject(Message<byte[]> message, RecordSource source, InvalidEventException e) {
    Log.warnf("dead-lettering %s: %s", source, e.getMessage());
    rejected.increment();
    return message.nack(e);
  }

  /** Key and position of a Kafka record; both null off Kafka (in-memory channels in tests). */
  record RecordSource(String key, SourceOffset offset) {
    @SuppressWarnings("unchecked")
    static RecordSource of(Message<?> message) {
      return message
          .getMetadata(IncomingKafkaRecordMetadata.class)
          .map(
              m ->
                  new RecordSource(
                      (String) m.getKey(),
                      new SourceOffset(m.getTopic(), m.getPartition(), m.getOffset())))
          .orElse(new RecordSource(null, null));
    }

    @Override
    public String toString() {
      return offset == null
          ? "record key=" + key
          : "%s-%d@%d key=%s".formatted(offset.topic(), offset.partition(), offset.offset(), key);
    }
  }
}
