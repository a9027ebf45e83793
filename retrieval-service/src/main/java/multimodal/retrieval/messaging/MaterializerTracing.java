package multimodal.retrieval.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import multimodal.v1.tracing.KafkaTraceContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;

/**
 * One {@code <topic> process} span (kind CONSUMER) per record the materialiser applies, child of
 * the span that published the record (its {@code traceparent} header), so an upload's trace ends
 * where its records reach the index. The materialiser's own {@code KafkaConsumer} is not
 * instrumented by Quarkus (only SmallRye channels are), hence this class. With tracing off the
 * spans are no-ops.
 */
public final class MaterializerTracing {
  /** No spans (tracing off, or a materialiser built without a tracer). */
  public static final MaterializerTracing OFF = new MaterializerTracing(OpenTelemetry.noop());

  private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  private static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  private static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey("messaging.operation.type");
  private static final AttributeKey<String> PARTITION =
      AttributeKey.stringKey("messaging.destination.partition.id");
  private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
  private static final AttributeKey<String> KEY =
      AttributeKey.stringKey("messaging.kafka.message.key");

  private final Tracer tracer;
  private final KafkaTraceContext traces;

  public MaterializerTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer("multimodal.retrieval.materializer");
    this.traces = new KafkaTraceContext(openTelemetry);
  }

  /**
   * Runs {@code apply} (the batch's index update) inside one span per record; a failure marks every
   * span of the batch as failed and is rethrown.
   */
  public void around(ConsumerRecords<String, byte[]> records, Runnable apply) {
    List<Span> spans = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      spans.add(start(record));
    }
    try {
      apply.run();
    } catch (RuntimeException e) {
      for (Span span : spans) {
        span.recordException(e);
        span.setStatus(StatusCode.ERROR, e.getMessage());
        span.end();
      }
      throw e;
    }
    spans.forEach(Span::end);
  }

  private Span start(ConsumerRecord<String, byte[]> record) {
    Map<String, byte[]> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), header.value());
    }
    var span =
        tracer
            .spanBuilder(record.topic() + " process")
            .setSpanKind(SpanKind.CONSUMER)
            .setParent(traces.producerContext(headers))
            .setAttribute(SYSTEM, "kafka")
            .setAttribute(DESTINATION, record.topic())
            .setAttribute(OPERATION, "process")
            .setAttribute(PARTITION, Integer.toString(record.partition()))
            .setAttribute(OFFSET, record.offset());
    if (record.key() != null) {
      span.setAttribute(KEY, record.key());
    }
    return span.startSpan();
  }
}
