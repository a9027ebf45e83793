package multimodal.systemtest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * An OTLP/HTTP trace receiver on 127.0.0.1 (what a collector's {@code otlphttp} receiver is to the
 * services): it accepts {@code ExportTraceServiceRequest}s in protobuf on any path ({@code
 * /v1/traces}) and keeps every span with the name of the service that exported it. Hand-written on
 * the JDK's HTTP server because a real collector is a separate binary the test suite does not have;
 * the messages are parsed by the OpenTelemetry project's own generated classes.
 */
final class TraceReceiver implements AutoCloseable {
  /** One span as received; ids in lower-case hex, {@code parentSpanId} empty for a root span. */
  record ReceivedSpan(
      String service,
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      Span.SpanKind kind,
      long startNanos,
      long endNanos,
      Map<String, String> attributes) {
    String attribute(String key) {
      return attributes.getOrDefault(key, "");
    }
  }

  private static final HexFormat HEX = HexFormat.of();
  private final HttpServer server;
  // Appended once per export, not per span: a CopyOnWriteArrayList copied every span received so
  // far for each span added, which made each export slower as the suite went on.
  private final List<ReceivedSpan> spans = new ArrayList<>();
  private final ExecutorService exchanges = Executors.newCachedThreadPool();
  private final LongAdder exports = new LongAdder();
  private final LongAccumulator slowestExportNanos = new LongAccumulator(Math::max, 0);

  private TraceReceiver(HttpServer server) {
    this.server = server;
  }

  static TraceReceiver start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    TraceReceiver receiver = new TraceReceiver(server);
    server.createContext("/", receiver::export);
    // The JDK server's default is one thread for every exchange: four services exporting at once
    // on a loaded machine then wait on each other, and an export that times out loses its spans.
    server.setExecutor(receiver.exchanges);
    server.start();
    return receiver;
  }

  /**
   * The settings that turn a service's tracing on and send every span here at once (the exporter's
   * batch delay is cut from 5 s so a test waits less).
   */
  Map<String, String> serviceProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("quarkus.otel.sdk.disabled", "false");
    properties.put("quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf");
    properties.put(
        "quarkus.otel.exporter.otlp.traces.endpoint",
        "http://127.0.0.1:" + server.getAddress().getPort());
    properties.put("quarkus.otel.bsp.schedule.delay", "200ms");
    // A dropped export loses spans (a trace then lacks its top): wait long on a loaded machine.
    properties.put("quarkus.otel.exporter.otlp.traces.timeout", "60s");
    properties.put("quarkus.otel.bsp.export.timeout", "60s");
    // The batch processor says "Exporter failed" (a timed-out or refused batch, its spans lost)
    // only
    // at FINE; the check quotes such lines from the services' logs when a trace lacks spans.
    properties.put("quarkus.log.category.\"io.opentelemetry.sdk.trace.export\".level", "DEBUG");
    return properties;
  }

  List<ReceivedSpan> spans() {
    synchronized (spans) {
      return List.copyOf(spans);
    }
  }

  /** Exports served, spans kept and the slowest export's handling, for a failure's message. */
  String statistics() {
    return String.format(
        "%d exports, %d spans, slowest export handled in %d ms",
        exports.sum(), spans().size(), slowestExportNanos.get() / 1_000_000);
  }

  private void export(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      ExportTraceServiceRequest request;
      try (InputStream body = exchange.getRequestBody()) {
        request = ExportTraceServiceRequest.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      List<ReceivedSpan> batch = new ArrayList<>();
      for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
        String service = serviceName(resourceSpans.getResource());
        for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
          for (Span span : scopeSpans.getSpansList()) {
            batch.add(received(service, span));
          }
        }
      }
      synchronized (spans) {
        spans.addAll(batch);
      }
      byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response);
      }
      exports.increment();
      slowestExportNanos.accumulate(System.nanoTime() - start);
    }
  }

  private static ReceivedSpan received(String service, Span span) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (KeyValue attribute : span.getAttributesList()) {
      attributes.put(attribute.getKey(), text(attribute.getValue()));
    }
    return new ReceivedSpan(
        service,
        HEX.formatHex(span.getTraceId().toByteArray()),
        HEX.formatHex(span.getSpanId().toByteArray()),
        HEX.formatHex(span.getParentSpanId().toByteArray()),
        span.getName(),
        span.getKind(),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        Map.copyOf(attributes));
  }

  private static String serviceName(Resource resource) {
    for (KeyValue attribute : resource.getAttributesList()) {
      if (attribute.getKey().equals("service.name")) {
        return attribute.getValue().getStringValue();
      }
    }
    return "";
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> Long.toString(value.getIntValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      default -> value.toString();
    };
  }

  @Override
  public void close() {
    server.stop(0);
    exchanges.shutdownNow();
  }
}
