package multimodal.v1.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The trace context a Kafka record of the platform carries in its headers ({@code traceparent},
 * {@code tracestate}: W3C Trace Context, written by the producer's instrumentation), read back with
 * the propagators the service is configured with ({@code quarkus.otel.propagators}).
 *
 * <p>The workers consume whole batches as {@code ConsumerRecords}, and retrieval runs its own
 * {@code KafkaConsumer}: neither hands the instrumentation a message per record, so the context of
 * each record is taken from its headers here and made the parent of what the service sends or
 * writes for it. That keeps one upload one trace across every Kafka hop.
 */
public final class KafkaTraceContext {
  private static final TextMapGetter<Map<String, byte[]>> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, byte[]> headers) {
          return headers.keySet();
        }

        @Override
        public String get(Map<String, byte[]> headers, String key) {
          byte[] value = headers == null ? null : headers.get(key);
          return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }
      };

  private final TextMapPropagator propagator;

  public KafkaTraceContext(OpenTelemetry openTelemetry) {
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  /**
   * The producer's span context from a record's headers (the last value of each name), or the root
   * context when the record carries none (written without tracing, or by an outside producer).
   */
  public Context producerContext(Map<String, byte[]> headers) {
    return propagator.extract(Context.root(), headers, HEADERS);
  }
}
