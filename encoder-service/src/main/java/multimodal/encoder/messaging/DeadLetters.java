package multimodal.encoder.messaging;

import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_CAUSE;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_EXCEPTION_CLASS_NAME;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_OFFSET;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_PARTITION;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_REASON;
import static io.smallrye.reactive.messaging.kafka.fault.KafkaDeadLetterQueue.DEAD_LETTER_TOPIC;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Writes one poison record, unchanged and with its key, to the dead-letter topic, adding the
 * headers SmallRye's dead-letter-queue strategy writes (docs/topics.md): reason, exception class,
 * cause when there is one, and the record's topic, partition and offset.
 */
final class DeadLetters {
  private final MutinyEmitter<byte[]> emitter;

  DeadLetters(MutinyEmitter<byte[]> emitter) {
    this.emitter = emitter;
  }

  /** Completes when the broker acknowledged the dead letter. */
  Uni<Void> send(ConsumerRecord<String, byte[]> record, Throwable failure) {
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    put(headers, DEAD_LETTER_REASON, String.valueOf(failure.getMessage()));
    put(headers, DEAD_LETTER_EXCEPTION_CLASS_NAME, failure.getClass().getName());
    if (failure.getCause() != null) {
      put(headers, DEAD_LETTER_CAUSE, String.valueOf(failure.getCause().getMessage()));
    }
    put(headers, DEAD_LETTER_TOPIC, record.topic());
    put(headers, DEAD_LETTER_PARTITION, String.valueOf(record.partition()));
    put(headers, DEAD_LETTER_OFFSET, String.valueOf(record.offset()));
    OutgoingKafkaRecordMetadata<String> metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withKey(record.key())
            .withHeaders(headers)
            .build();
    return emitter.sendMessage(Message.of(record.value()).addMetadata(metadata));
  }

  private static void put(RecordHeaders headers, String key, String value) {
    headers.remove(key); // a re-published dead letter carries the old ones
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
