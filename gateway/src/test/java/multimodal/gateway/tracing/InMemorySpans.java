package multimodal.gateway.tracing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The span exporter of the gateway's tracing tests: Quarkus exports through the SpanExporter beans
 * it finds, so this one collects every finished span in memory. Inert while the OpenTelemetry SDK
 * is off, which it is in every other test.
 */
public class InMemorySpans {
  @Produces
  @Singleton
  InMemorySpanExporter exporter() {
    return InMemorySpanExporter.create();
  }
}
