package multimodal.gateway.tracing;

import static java.net.http.HttpResponse.BodyHandlers.ofString;
import static multimodal.gateway.rest.TestKeys.asDefault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.grpc.FakeBackendsTestResource;
import multimodal.gateway.rest.TestKeys;
import multimodal.v1.Topics;
import org.junit.jupiter.api.Test;

/**
 * The work a REST request starts (the ingest publish, the gRPC call to retrieval) is traced as a
 * child of the request's span, on whichever thread it runs, also with many requests at once.
 */
@QuarkusTest
@TestProfile(TracingOn.class)
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class RequestTracingTest {
  private static final int CALLERS = 8;
  private static final int REQUESTS_EACH = 6;

  @Inject InMemorySpanExporter spans;

  @TestHTTPResource URI gateway;

  @Test
  void everyPublishAndGrpcCallIsAChildOfItsRequestSpanUnderConcurrentLoad() throws Exception {
    spans.reset();
    ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    List<Future<Integer>> statuses = new ArrayList<>();
    try {
      for (int c = 0; c < CALLERS; c++) {
        for (int r = 0; r < REQUESTS_EACH; r++) {
          int n = c * REQUESTS_EACH + r;
          statuses.add(callers.submit(n % 2 == 0 ? upload(n) : search(n)));
        }
      }
      for (Future<Integer> status : statuses) {
        assertThat(status.get()).isIn(200, 202);
      }
    } finally {
      callers.shutdownNow();
    }

    assertEveryStartedWorkIsAChildOfItsRequestSpan(CALLERS * REQUESTS_EACH);
  }

  /**
   * The JDK's HTTP client (the system test's) asks to upgrade a new plain-text connection to HTTP/2
   * (h2c) on its first request: that request and the ones after it on the upgraded connection are
   * traced as any other.
   */
  @Test
  void requestsOnConnectionsUpgradedToHttp2AreTracedAsAnyOther() throws Exception {
    spans.reset();
    int requests = 0;
    for (int connection = 0; connection < 3; connection++) {
      HttpClient client = HttpClient.newHttpClient(); // a new connection, upgraded
      for (int n = 0; n < 2; n++, requests += 2) {
        HttpResponse<String> upload = client.send(upgraded(multipartUpload(requests)), ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        assertThat(upload.version()).isEqualTo(HttpClient.Version.HTTP_2);
        HttpResponse<String> search =
            client.send(
                upgraded(
                    HttpRequest.newBuilder(
                        gateway.resolve("/v1/search?q=upgraded+search+" + requests))),
                ofString());
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
      }
    }
    assertEveryStartedWorkIsAChildOfItsRequestSpan(requests);
  }

  /** Waits for each request's publish or gRPC call, then checks its parent is a request span. */
  private void assertEveryStartedWorkIsAChildOfItsRequestSpan(int requests) {
    await("every request's spans exported")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(startedWork(spans.getFinishedSpanItems()))
                    .hasSize(requests)); // one publish per upload, one gRPC call per search
    List<SpanData> finished = spans.getFinishedSpanItems();
    Map<String, SpanData> byId =
        finished.stream()
            .collect(Collectors.toMap(SpanData::getSpanId, Function.identity(), (a, b) -> a));
    for (SpanData work : startedWork(finished)) {
      SpanData parent = byId.get(work.getParentSpanId());
      assertThat(parent)
          .as("the parent of %s %s (%s)", work.getKind(), work.getName(), work.getParentSpanId())
          .isNotNull();
      assertThat(parent.getKind()).as("%s's parent", work.getName()).isEqualTo(SpanKind.SERVER);
      assertThat(parent.getTraceId()).isEqualTo(work.getTraceId());
    }
  }

  private static HttpRequest upgraded(HttpRequest.Builder request) {
    return request.header("X-API-Key", TestKeys.DEFAULT).build();
  }

  private HttpRequest.Builder multipartUpload(int n) throws IOException {
    String boundary = "traced-boundary-" + n;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upgraded-"
                + n
                + ".png\"\r\nContent-Type: image/png\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(png(new Color(n * 7 % 256, 90, 200)));
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return HttpRequest.newBuilder(gateway.resolve("/v1/media"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
  }

  /** The ingest publishes and the gRPC calls to retrieval: the work the requests started. */
  private static List<SpanData> startedWork(List<SpanData> finished) {
    return finished.stream()
        .filter(
            s ->
                (s.getKind() == SpanKind.PRODUCER && s.getName().startsWith(Topics.MEDIA_INGEST))
                    || (s.getKind() == SpanKind.CLIENT && s.getName().contains("Retrieval")))
        .toList();
  }

  private static Callable<Integer> upload(int n) throws IOException {
    byte[] png = png(new Color(n * 5, 255 - n * 5, (n * 37) % 256));
    return () ->
        asDefault()
            .multiPart("file", "traced-" + n + ".png", png, "image/png")
            .when()
            .post("/v1/media")
            .then()
            .extract()
            .statusCode();
  }

  private static Callable<Integer> search(int n) {
    return () ->
        asDefault()
            .queryParam("q", "traced search " + n)
            .when()
            .get("/v1/search")
            .then()
            .extract()
            .statusCode();
  }

  private static byte[] png(Color color) throws IOException {
    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        image.setRGB(x, y, color.getRGB());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
