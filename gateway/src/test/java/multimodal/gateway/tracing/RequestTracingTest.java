package multimodal.gateway.tracing;

import static multimodal.gateway.rest.TestKeys.asDefault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

    int requests = CALLERS * REQUESTS_EACH;
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
