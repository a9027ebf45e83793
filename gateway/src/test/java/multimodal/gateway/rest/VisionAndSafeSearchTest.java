package multimodal.gateway.rest;

import static multimodal.gateway.rest.TestKeys.asDefault;
import static multimodal.gateway.rest.TestKeys.asOther;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.grpc.FakeBackendsTestResource;
import multimodal.gateway.grpc.FakeGeneratorService;
import multimodal.gateway.grpc.FakeRetrievalService;
import multimodal.v1.SearchFilter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Object tags, safety scores and fixture flags over REST: the object and safe-search filters
 * reaching retrieval, safe search on by default per tenant and the opt-out, the vision part of
 * media status, and {@code /v1/analyze} (GeneratorService.Analyze) with its problems.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class) // same resources as the other tests: one app boot
class VisionAndSafeSearchTest {
  private static final Path HORSE = Path.of("../testdata/images/horse.png");

  /** Sorts after the other items of tenant "default", so it never changes their order. */
  private static final String UNSAFE = "zz-unsafe-1";

  @FakeBackendsTestResource.InjectFake FakeRetrievalService retrieval;
  @FakeBackendsTestResource.InjectFake FakeGeneratorService generator;

  @BeforeEach
  void indexAnUnsafeItem() {
    retrieval.index("default", UNSAFE);
    retrieval.analyse(
        UNSAFE, 0.9f, FakeRetrievalService.object("person", 0.61f, 0.2f, 0.1f, 0.6f, 0.95f));
  }

  @Test
  void hitsCarryObjectsSafetyAndWhichModelsAreFixtures() {
    asDefault()
        .queryParam("q", "horse")
        .when()
        .get("/v1/search")
        .then()
        .statusCode(200)
        .contentType(ContentType.JSON)
        .body("model.fixture", equalTo(true))
        .body("safeSearch.on", equalTo(true))
        .body("safeSearch.unsafeThreshold", equalTo(0.5f))
        // Other tests index more items of tenant "default": look at the known one wherever it
        // ranks.
        .rootPath("hits.find { it.mediaId == '" + FakeRetrievalService.KNOWN_MEDIA + "' }")
        .body("captionFixture", equalTo(true))
        .body("objects[0].label", equalTo("horse"))
        .body("objects[0].score", equalTo(0.54f))
        .body("objects[0].box.xMin", equalTo(0.1f))
        .body("objects[0].box.yMax", equalTo(0.9f))
        .body("safety.unsafeScore", equalTo(0.02f))
        .body("safety.scores.neutral", equalTo(0.98f))
        .body("safety.scores.porn", equalTo(0.02f));
  }

  @Test
  void objectFiltersReachRetrieval() {
    asDefault()
        .queryParam("q", "animals")
        .queryParam("object", "horse")
        .queryParam("object", " dining table ")
        .when()
        .get("/v1/search")
        .then()
        .statusCode(200)
        .body("hits", empty()); // no item shows both
    assertThat(retrieval.lastSearch().getFilter().getObjectsList())
        .containsExactly("horse", "dining table");

    asDefault()
        .queryParam("q", "animals")
        .queryParam("object", "horse")
        .when()
        .get("/v1/search")
        .then()
        .statusCode(200)
        .body("hits.mediaId", equalTo(List.of(FakeRetrievalService.KNOWN_MEDIA)));
  }

  @Test
  void safeSearchIsOnByDefaultAndLeavesTheUnsafeItemOut() {
    asDefault()
        .queryParam("q", "people")
        .when()
        .get("/v1/search")
        .then()
        .statusCode(200)
        .body("hits.mediaId", not(hasItem(UNSAFE)));
    SearchFilter sent = retrieval.lastSearch().getFilter();
    assertThat(sent.getSafe()).isTrue();
    assertThat(sent.getUnsafeThreshold()).isEqualTo(0.5f);
    assertThat(sent.getExcludeUnscored()).isFalse();
  }

  @Test
  void safeFalseOptsOutAndShowsTheUnsafeItemWithItsScore() {
    List<Map<String, Object>> hits =
        asDefault()
            .queryParam("q", "people")
            .queryParam("safe", "false")
            .when()
            .get("/v1/search")
            .then()
            .statusCode(200)
            .body("safeSearch.on", equalTo(false))
            .extract()
            .jsonPath()
            .getList("hits");
    assertThat(retrieval.lastSearch().getFilter().getSafe()).isFalse();
    Map<String, Object> unsafe =
        hits.stream().filter(hit -> UNSAFE.equals(hit.get("mediaId"))).findFirst().orElseThrow();
    assertThat(((Map<?, ?>) unsafe.get("safety")).get("unsafeScore")).isEqualTo(0.9f);
  }

  @Test
  void theTenantDefaultDecidesWhenTheRequestSaysNothing() {
    // gateway.safe-search.tenants.other=false in the test profile
    asOther()
        .queryParam("q", "people")
        .when()
        .get("/v1/search")
        .then()
        .statusCode(200)
        .body("safeSearch.on", equalTo(false));
    assertThat(retrieval.lastSearch().getFilter().getSafe()).isFalse();

    asOther()
        .queryParam("q", "people")
        .queryParam("safe", "true")
        .when()
        .get("/v1/search")
        .then()
        .statusCode(200)
        .body("safeSearch.on", equalTo(true));
    assertThat(retrieval.lastSearch().getFilter().getSafe()).isTrue();
    assertThat(retrieval.lastSearch().getFilter().getUnsafeThreshold()).isEqualTo(0.5f);
  }

  @Test
  void thresholdAndUnscoredOptionsReachRetrieval() {
    asDefault()
        .queryParam("q", "people")
        .queryParam("unsafeThreshold", "0.95")
        .queryParam("excludeUnscored", "true")
        .when()
        .get("/v1/search")
        .then()
        .statusCode(200)
        .body("safeSearch.unsafeThreshold", equalTo(0.95f))
        .body("hits.mediaId", hasItem(UNSAFE)); // 0.9 is under 0.95
    SearchFilter sent = retrieval.lastSearch().getFilter();
    assertThat(sent.getSafe()).isTrue();
    assertThat(sent.getUnsafeThreshold()).isEqualTo(0.95f);
    assertThat(sent.getExcludeUnscored()).isTrue();
  }

  @Test
  void badSafeSearchOptionsAre400Problems() {
    for (Map.Entry<String, String> bad :
        List.of(
            Map.entry("safe", "maybe"),
            Map.entry("unsafeThreshold", "0"),
            Map.entry("unsafeThreshold", "1.5"),
            Map.entry("excludeUnscored", "x"))) {
      asDefault()
          .queryParam("q", "people")
          .queryParam(bad.getKey(), bad.getValue())
          .when()
          .get("/v1/search")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("detail", containsString("'" + bad.getKey() + "'"));
    }
  }

  @Test
  void mediaStatusShowsObjectsSafetyAndModelsWithFixtureFlags() {
    asDefault()
        .when()
        .get("/v1/media/{id}", FakeRetrievalService.KNOWN_MEDIA)
        .then()
        .statusCode(200)
        .body("vision", equalTo("analysed"))
        .body("objects[0].label", equalTo("horse"))
        .body("objects[0].box.xMin", equalTo(0.1f))
        .body("objects[0].box.yMin", equalTo(0.2f))
        .body("detector.name", equalTo("centernet-coco"))
        .body("detector.fixture", equalTo(false))
        .body("safety.unsafeScore", equalTo(0.02f))
        .body("safety.scores.neutral", equalTo(0.98f))
        .body("safetyModel.name", equalTo("nsfwjs-mobilenet-v2-mid"))
        .body("safetyModel.version", equalTo("4.4.0"))
        .body("safetyModel.fixture", equalTo(false))
        .body("captionModel.name", equalTo("captioner-fixture"))
        .body("captionModel.fixture", equalTo(true))
        .body("embeddedBy[0].fixture", equalTo(true))
        .body("imageWidth", equalTo(640))
        .body("imageHeight", equalTo(480));
  }

  @Test
  void anItemNotAnalysedYetIsPending() {
    retrieval.index("default", "not-analysed-1");
    asDefault()
        .when()
        .get("/v1/media/{id}", "not-analysed-1")
        .then()
        .statusCode(200)
        .body("vision", equalTo("pending"))
        .body("objects", empty())
        .body("safety", nullValue())
        .body("detector", nullValue());
  }

  @Test
  void analyzeAnUploadedImage() throws Exception {
    BufferedImage horse = ImageIO.read(HORSE.toFile());
    asDefault()
        .multiPart("file", HORSE.toFile(), "image/png")
        .queryParam("minScore", "0.3")
        .when()
        .post("/v1/analyze")
        .then()
        .statusCode(200)
        .contentType(ContentType.JSON)
        .body("objects[0].label", equalTo("bytes-" + Files.size(HORSE)))
        .body("objects[0].box.xMax", equalTo(1f))
        .body("detector.name", equalTo("centernet-coco"))
        .body("safety.scores.neutral", equalTo(0.97f))
        .body("safety.unsafeScore", equalTo(0.03f))
        .body("safetyModel.fixture", equalTo(false))
        .body("imageWidth", equalTo(horse.getWidth()))
        .body("imageHeight", equalTo(horse.getHeight()));
    assertThat(generator.lastAnalyze().getMinScore()).isEqualTo(0.3f);
    assertThat(generator.lastAnalyze().getImages(0).getClientId()).isEqualTo("horse.png");
    assertThat(generator.lastTenant()).isEqualTo("default");
  }

  @Test
  void analyzeAStoredItemByItsId() throws Exception {
    asDefault()
        .multiPart("file", HORSE.toFile(), "image/png")
        .multiPart("mediaId", "horse-analyze")
        .post("/v1/media")
        .then()
        .statusCode(202);
    asDefault()
        .contentType(ContentType.JSON)
        .body(Map.of("mediaId", "horse-analyze"))
        .when()
        .post("/v1/analyze")
        .then()
        .statusCode(200)
        .body("objects[0].label", equalTo("bytes-" + Files.size(HORSE)));
    asOther()
        .contentType(ContentType.JSON)
        .body(Map.of("mediaId", "horse-analyze"))
        .when()
        .post("/v1/analyze")
        .then()
        .statusCode(404);
  }

  @Test
  void analyzeProblems() {
    // Not an image at all: refused by the gateway.
    asDefault()
        .multiPart("file", "notes.txt", "just text".getBytes(), "text/plain")
        .when()
        .post("/v1/analyze")
        .then()
        .statusCode(415)
        .contentType("application/problem+json")
        .body("detail", containsString("not a JPEG, PNG"));
    // PNG magic, broken body: the generator cannot decode it.
    byte[] broken = {
      (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2, 3
    };
    asDefault()
        .multiPart("file", "broken.png", broken, "image/png")
        .when()
        .post("/v1/analyze")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("urn:multimodal:problem:upstream-invalid-argument"))
        .body("detail", containsString("cannot decode"));
    asDefault()
        .multiPart("file", HORSE.toFile(), "image/png")
        .queryParam("minScore", "lots")
        .when()
        .post("/v1/analyze")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("'minScore'"));
    asDefault()
        .multiPart("mediaId", "x")
        .when()
        .post("/v1/analyze")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("'file'"));
  }

  @Test
  void captionsSayWhenAFixtureWroteThem() {
    asDefault()
        .multiPart("file", HORSE.toFile(), "image/png")
        .multiPart("mediaId", "horse-fixture-caption")
        .post("/v1/media")
        .then()
        .statusCode(202);
    asDefault()
        .contentType(ContentType.JSON)
        .body(Map.of("mediaId", "horse-fixture-caption"))
        .post("/v1/caption")
        .then()
        .statusCode(200)
        .body("fixture", equalTo(true));
  }
}
