package multimodal.v1.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaTraceContextTest {
  private final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(SdkTracerProvider.builder().build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();

  @Test
  void theProducersSpanIsReadFromTheTraceparentHeader() {
    Span producer = otel.getTracer("test").spanBuilder("media.ingest.v1 publish").startSpan();
    Map<String, byte[]> headers = new HashMap<>();
    headers.put("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
    otel.getPropagators()
        .getTextMapPropagator()
        .inject(
            io.opentelemetry.context.Context.root().with(producer),
            headers,
            (carrier, key, value) -> carrier.put(key, value.getBytes(StandardCharsets.UTF_8)));

    SpanContext read =
        Span.fromContext(new KafkaTraceContext(otel).producerContext(headers)).getSpanContext();

    assertThat(read.isRemote()).isTrue();
    assertThat(read.getTraceId()).isEqualTo(producer.getSpanContext().getTraceId());
    assertThat(read.getSpanId()).isEqualTo(producer.getSpanContext().getSpanId());
    producer.end();
  }

  @Test
  void aRecordWithoutTraceHeadersGivesNoParent() {
    SpanContext read =
        Span.fromContext(
                new KafkaTraceContext(otel)
                    .producerContext(
                        Map.of(
                            "traceparent", "not-a-traceparent".getBytes(StandardCharsets.UTF_8))))
            .getSpanContext();
    assertThat(read.isValid()).isFalse();
    assertThat(
            Span.fromContext(new KafkaTraceContext(otel).producerContext(Map.of()))
                .getSpanContext()
                .isValid())
        .isFalse();
  }

  @Test
  void withTracingOffNothingIsRead() {
    Map<String, byte[]> headers =
        Map.of(
            "traceparent",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(
            Span.fromContext(new KafkaTraceContext(OpenTelemetry.noop()).producerContext(headers))
                .getSpanContext()
                .isValid())
        .isFalse();
  }
}
