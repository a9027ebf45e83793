package multimodal.gateway.messaging;

import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import multimodal.gateway.IngestEvents;
import multimodal.gateway.config.GatewayConfig;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import multimodal.v1.ingest.IngestTombstone;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes media.ingest.v1 events in CloudEvents structured mode, and tombstones, and blocks until
 * Kafka has acknowledged the record: a 202 from the gateway means it is durably on the topic.
 */
@ApplicationScoped
public class IngestPublisher implements IngestEvents {
  /**
   * Header on tombstones naming the tenant whose item is deleted: consumers delete only that
   * tenant's item.
   */
  public static final String TENANT_HEADER = IngestTombstone.TENANT_HEADER;

  private final MutinyEmitter<Record<String, byte[]>> emitter;

  /**
   * The gateway's CloudEvents source, also on tombstones: consumers check it against their producer
   * rule.
   */
  private final String source;

  private final IngestEventCodec codec = new IngestEventCodec();
  private final Duration timeout;

  IngestPublisher(
      @Channel(Channels.INGEST_OUT) MutinyEmitter<Record<String, byte[]>> emitter,
      GatewayConfig config) {
    this.emitter = emitter;
    this.timeout = config.ingest().publishTimeout();
    this.source = config.ingest().source();
  }

  /**
   * Sends the event keyed by its media id and waits for the broker's ack.
   *
   * @throws PublishFailedException when Kafka refuses the record or does not answer in time
   */
  @Override
  public void publish(IngestEvent event) {
    byte[] value = codec.encodeStructured(event);
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        "content-type", IngestEventCodec.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
    send(event.mediaId(), value, headers, "ingest event " + event.eventId());
    Log.debugf(
        "published ingest event %s for media %s (%d bytes)",
        event.eventId(), event.mediaId(), value.length);
  }

  /**
   * Publishes the delete of one tenant's item: a tombstone (null value) keyed by its media id, with
   * the tenant and the gateway's source in headers ({@link IngestTombstone}).
   */
  @Override
  public void publishTombstone(String tenant, String mediaId) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(TENANT_HEADER, tenant.getBytes(StandardCharsets.UTF_8));
    headers.add(IngestTombstone.SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8));
    send(mediaId, null, headers, "tombstone");
    Log.debugf("published tombstone for media %s of tenant %s", mediaId, tenant);
  }

  private void send(String key, byte[] value, RecordHeaders headers, String what) {
    Message<Record<String, byte[]>> message =
        Message.of(Record.of(key, value))
            .addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(key)
                    .withHeaders(headers)
                    .build())
            // The publish span is a child of the request's span (REST or gRPC) taken here, on the
            // request's thread: the emitter may send from another one.
            .addMetadata(TracingMetadata.withCurrent(Context.current()));
    try {
      emitter.sendMessage(message).await().atMost(timeout);
    } catch (RuntimeException e) {
      Log.warnf("%s for media %s not acknowledged by Kafka: %s", what, key, e.toString());
      throw new PublishFailedException("Kafka did not acknowledge the " + what, e);
    }
  }
}
