package multimodal.gateway.messaging;

import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import multimodal.gateway.config.GatewayConfig;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes media.ingest.v1 events in CloudEvents structured mode and blocks until Kafka has
 * acknowledged the record: a 202 from the gateway means the event is durably on the topic.
 */
@ApplicationScoped
public class IngestPublisher {
  private final MutinyEmitter<byte[]> emitter;
  private final IngestEventCodec codec = new IngestEventCodec();
  private final Duration timeout;

  IngestPublisher(@Channel(Channels.INGEST_OUT) MutinyEmitter<byte[]> emitter, GatewayConfig config) {
    this.emitter = emitter;
    this.timeout = config.ingest().publishTimeout();
  }

  /**
   * Sends the event keyed by its media id and waits for the broker's ack.
   *
   * @throws PublishFailedException when Kafka refuses the record or does not answer in time
   */
  public void publish(IngestEvent event) {
    byte[] value = codec.encodeStructured(event);
    RecordHeaders headers = new RecordHeaders();
    headers.add("content-type", IngestEventCodec.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
    Message<byte[]> message =
        Message.of(value)
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.mediaId()).withHeaders(headers).build());
    long start = System.nanoTime();
    try {
      emitter.sendMessage(message).await().atMost(timeout);
    } catch (RuntimeException e) {
      Log.warnf("ingest event %s for media %s not acknowledged by Kafka: %s", event.eventId(), event.mediaId(), e.toString());
      throw new PublishFailedException("Kafka did not acknowledge the ingest event", e);
    }
    Log.debugf(
        "published ingest event %s for media %s (%d bytes) in %d ms",
        event.eventId(), event.mediaId(), value.length, (System.nanoTime() - start) / 1_000_000);
  }
}
