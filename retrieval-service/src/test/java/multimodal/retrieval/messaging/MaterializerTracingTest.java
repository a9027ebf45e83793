package multimodal.retrieval.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import multimodal.v1.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class MaterializerTracingTest {
  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exported))
                  .build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();

  @Test
  void eachRecordGetsAConsumerSpanChildOfItsProducersSpan() {
    Span producer = otel.getTracer("encoder").spanBuilder("media.embedding.v1 publish").startSpan();
    ConsumerRecord<String, byte[]> traced = record(7, producer);
    ConsumerRecord<String, byte[]> untraced = record(8, null);
    boolean[] applied = {false};

    new MaterializerTracing(otel).around(batch(traced, untraced), () -> applied[0] = true);

    assertThat(applied[0]).isTrue();
    List<SpanData> spans = exported.getFinishedSpanItems();
    assertThat(spans).hasSize(2);
    SpanData child = spans.get(0);
    assertThat(child.getName()).isEqualTo(Topics.MEDIA_EMBEDDING + " process");
    assertThat(child.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(child.getTraceId()).isEqualTo(producer.getSpanContext().getTraceId());
    assertThat(child.getParentSpanId()).isEqualTo(producer.getSpanContext().getSpanId());
    assertThat(child.getAttributes().asMap())
        .containsValue(Topics.MEDIA_EMBEDDING)
        .containsValue(7L)
        .containsValue("media-1");
    // A record written without tracing starts a trace of its own.
    assertThat(spans.get(1).getParentSpanContext().isValid()).isFalse();
    assertThat(spans.get(1).getTraceId()).isNotEqualTo(child.getTraceId());
    producer.end();
  }

  @Test
  void aFailedBatchEndsEverySpanAsAnErrorAndRethrows() {
    IllegalStateException failure = new IllegalStateException("index closed");

    assertThatThrownBy(
            () ->
                new MaterializerTracing(otel)
                    .around(
                        batch(record(1, null), record(2, null)),
                        () -> {
                          throw failure;
                        }))
        .isSameAs(failure);

    assertThat(exported.getFinishedSpanItems())
        .hasSize(2)
        .allSatisfy(
            span -> {
              assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
              assertThat(span.getEvents()).extracting("name").contains("exception");
            });
  }

  @Test
  void offAppliesTheBatchWithoutSpans() {
    boolean[] applied = {false};
    MaterializerTracing.OFF.around(batch(record(1, null)), () -> applied[0] = true);
    assertThat(applied[0]).isTrue();
  }

  private ConsumerRecord<String, byte[]> record(long offset, Span parent) {
    RecordHeaders headers = new RecordHeaders();
    if (parent != null) {
      otel.getPropagators()
          .getTextMapPropagator()
          .inject(
              Context.root().with(parent),
              headers,
              (carrier, key, value) -> carrier.add(key, value.getBytes(StandardCharsets.UTF_8)));
    }
    return new ConsumerRecord<>(
        Topics.MEDIA_EMBEDDING,
        0,
        offset,
        0L,
        TimestampType.CREATE_TIME,
        0,
        0,
        "media-1",
        new byte[0],
        headers,
        Optional.empty());
  }

  @SafeVarargs
  private static ConsumerRecords<String, byte[]> batch(ConsumerRecord<String, byte[]>... records) {
    return new ConsumerRecords<>(
        Map.of(new TopicPartition(Topics.MEDIA_EMBEDDING, 0), List.of(records)), Map.of());
  }
}
