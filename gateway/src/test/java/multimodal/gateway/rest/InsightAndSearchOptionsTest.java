package multimodal.gateway.rest;

import static multimodal.gateway.rest.TestKeys.asDefault;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.grpc.FakeBackendsTestResource;
import multimodal.gateway.grpc.FakeGeneratorService;
import multimodal.gateway.grpc.FakeRetrievalService;
import multimodal.v1.SearchMode;
import multimodal.v1.SearchRequest;
import multimodal.v1.ingest.IngestTombstone;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Search options, classify, rank texts, caption, OCR, ask (SSE) and delete, against fakes over real
 * gRPC.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class InsightAndSearchOptionsTest {
  private static final Path HORSE = Path.of("../testdata/images/horse.png");

  @FakeBackendsTestResource.InjectFake FakeRetrievalService retrieval;
  @FakeBackendsTestResource.InjectFake FakeGeneratorService generator;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @Test
  void searchOptionsMapOntoTheSearchRequest() {
    asDefault()
        .queryParam("q", "horse")
        .queryParam("mode", "hybrid")
        .queryParam("clipWeight", 2)
        .queryParam("bm25Weight", 0.5)
        .queryParam("tag", "animal")
        .queryParam("tag", "farm")
        .queryParam("contentType", "image/png")
        .queryParam("ingestedAfter", "2026-01-01T00:00:00Z")
        .queryParam("modelVersion", "fixture-colour-1")
        .queryParam("pageToken", "page-2")
        .queryParam("explain", true)
        .queryParam("dedupe", 0.95)
        .get("/v1/search")
        .then()
        .statusCode(200);

    SearchRequest sent = retrieval.lastSearch();
    assertThat(sent.getMode()).isEqualTo(SearchMode.SEARCH_MODE_HYBRID);
    assertThat(sent.getWeights().getClip()).isEqualTo(2f);
    assertThat(sent.getWeights().getBm25()).isEqualTo(0.5f);
    assertThat(sent.getWeights().hasDenseText()).isFalse();
    assertThat(sent.getFilter().getTagsList()).containsExactly("animal", "farm");
    assertThat(sent.getFilter().getContentTypesList()).containsExactly("image/png");
    assertThat(sent.getFilter().getIngestedAfter().getSeconds()).isEqualTo(1_767_225_600L);
    assertThat(sent.getFilter().hasIngestedBefore()).isFalse();
    assertThat(sent.getFilter().getModelVersion()).isEqualTo("fixture-colour-1");
    assertThat(sent.getPageToken()).isEqualTo("page-2");
    assertThat(sent.getExplain()).isTrue();
    assertThat(sent.getDedupeThreshold()).isEqualTo(0.95f);
    assertThat(sent.getTenant()).isEqualTo("default");
  }

  @Test
  void badSearchOptionsAre400Problems() {
    asDefault()
        .queryParam("q", "x")
        .queryParam("mode", "magic")
        .get("/v1/search")
        .then()
        .statusCode(400)
        .body("detail", containsString("'mode'"));
    asDefault()
        .queryParam("q", "x")
        .queryParam("ingestedAfter", "yesterday")
        .get("/v1/search")
        .then()
        .statusCode(400);
    asDefault()
        .queryParam("q", "x")
        .queryParam("clipWeight", -1)
        .get("/v1/search")
        .then()
        .statusCode(400);
    asDefault()
        .queryParam("q", "x")
        .queryParam("mediaId", "y")
        .get("/v1/search")
        .then()
        .statusCode(400)
        .body("detail", containsString("exactly one"));
  }

  @Test
  void moreLikeThisSearchesByMediaId() {
    asDefault()
        .queryParam("mediaId", FakeRetrievalService.KNOWN_MEDIA)
        .get("/v1/search")
        .then()
        .statusCode(200)
        .body("query", equalTo("mediaId:horse-1"));
    assertThat(retrieval.lastSearch().getMediaId()).isEqualTo(FakeRetrievalService.KNOWN_MEDIA);
  }

  @Test
  void searchByUploadedImageSendsItsBytes() throws Exception {
    asDefault()
        .multiPart("file", HORSE.toFile(), "image/png")
        .queryParam("k", 3)
        .post("/v1/search")
        .then()
        .statusCode(200);
    assertThat(retrieval.lastSearch().getImage().getData().toByteArray())
        .isEqualTo(Files.readAllBytes(HORSE));
    assertThat(retrieval.lastSearch().getK()).isEqualTo(3);
  }

  @Test
  void classifyWithUserLabels() {
    asDefault()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "mediaId",
                FakeRetrievalService.KNOWN_MEDIA,
                "labels",
                List.of("a horse", "a cat", "a car")))
        .post("/v1/classify")
        .then()
        .statusCode(200)
        .body("model", equalTo("clip-fixture"))
        .body("labels[0].label", equalTo("a horse"))
        .body("labels[0].probability", equalTo(0.75f));
    assertThat(retrieval.lastClassify().getImage().getMediaId())
        .isEqualTo(FakeRetrievalService.KNOWN_MEDIA);
    assertThat(retrieval.lastClassify().getTenant()).isEqualTo("default");

    asDefault()
        .contentType(ContentType.JSON)
        .body(Map.of("mediaId", "x", "labels", List.of()))
        .post("/v1/classify")
        .then()
        .statusCode(400);
    asDefault()
        .contentType(ContentType.JSON)
        .body(Map.of("labels", List.of("a")))
        .post("/v1/classify")
        .then()
        .statusCode(400);
  }

  @Test
  void rankTextsByUrl() {
    asDefault()
        .contentType(ContentType.JSON)
        .body(Map.of("uri", "https://example.com/h.png", "texts", List.of("one", "two")))
        .post("/v1/rank-texts")
        .then()
        .statusCode(200)
        .body("scores[0].text", equalTo("two"))
        .body("scores[0].index", equalTo(1));
    assertThat(retrieval.lastRank().getImage().getImage().getUri())
        .isEqualTo("https://example.com/h.png");
  }

  @Test
  void captionOcrAndAskResolveTheMediaIdToItsStoredBytes() throws Exception {
    long size = Files.size(HORSE);
    asDefault()
        .multiPart("file", HORSE.toFile(), "image/png")
        .multiPart("mediaId", "horse-insight")
        .post("/v1/media")
        .then()
        .statusCode(202);

    asDefault()
        .contentType(ContentType.JSON)
        .body(Map.of("mediaId", "horse-insight", "task", "detailed"))
        .post("/v1/caption")
        .then()
        .statusCode(200)
        .body("text", equalTo("an image of " + size + " bytes"))
        .body("model", equalTo("fake-generator"));
    assertThat(generator.lastCaption().getTask().name()).isEqualTo("CAPTION_TASK_DETAILED_CAPTION");

    asDefault()
        .contentType(ContentType.JSON)
        .body(Map.of("mediaId", "horse-insight", "languages", List.of("eng")))
        .post("/v1/ocr")
        .then()
        .statusCode(200)
        .body("text", equalTo("TEXT [eng]"));

    String stream =
        asDefault()
            .contentType(ContentType.JSON)
            .accept("text/event-stream")
            .body(Map.of("mediaId", "horse-insight", "question", "what colour?"))
            .post("/v1/ask")
            .then()
            .statusCode(200)
            .contentType(containsString("text/event-stream"))
            .extract()
            .asString();
    assertThat(stream)
        .containsSubsequence(
            "event:token",
            "\"token\":\"it\"",
            "event:token",
            "\" is\"",
            "event:token",
            "\" brown\"",
            "event:final",
            "\"text\":\"it is brown\"");
  }

  @Test
  void askFailingMidwayEndsWithAnErrorEvent() {
    String stream =
        asDefault()
            .contentType(ContentType.JSON)
            .accept("text/event-stream")
            .body(Map.of("uri", "https://example.com/h.png", "question", "fail"))
            .post("/v1/ask")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(stream).containsSubsequence("event:token", "event:error", "\"status\":502");
  }

  @Test
  void deletePublishesATombstoneKeyedByTheMediaId() {
    asDefault()
        .multiPart("file", HORSE.toFile(), "image/png")
        .multiPart("mediaId", "horse-to-delete")
        .post("/v1/media")
        .then()
        .statusCode(202);

    asDefault()
        .delete("/v1/media/{id}", "horse-to-delete")
        .then()
        .statusCode(202)
        .body("mediaId", equalTo("horse-to-delete"));

    ConsumerRecord<String, byte[]> tombstone =
        IngestTopicReader.awaitTombstone(bootstrapServers, "horse-to-delete");
    assertThat(tombstone.value()).isNull();
    assertThat(new String(tombstone.headers().lastHeader("tenant").value())).isEqualTo("default");
    // What every consumer reads from it: the default tenant's item, deleted by the gateway (its
    // producer rule's source).
    Map<String, byte[]> headers = new java.util.HashMap<>();
    tombstone.headers().forEach(h -> headers.put(h.key(), h.value()));
    assertThat(IngestTombstone.fromRecord(tombstone.key(), headers))
        .isEqualTo(new IngestTombstone("horse-to-delete", "default", "/gateway"));
    asDefault().delete("/v1/media/{id}", "horse-to-delete").then().statusCode(404);
  }
}
