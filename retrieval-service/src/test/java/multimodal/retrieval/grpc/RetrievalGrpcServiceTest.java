package multimodal.retrieval.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.retrieval.FakeQueryEncoder;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.NoConsumerResource;
import multimodal.retrieval.TempIndexDirResource;
import multimodal.retrieval.index.IndexUpdater;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.retrieval.search.ZeroShot;
import multimodal.v1.ClassifyRequest;
import multimodal.v1.ClassifyResponse;
import multimodal.v1.EmbeddedBy;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.ImageScore;
import multimodal.v1.ImageSource;
import multimodal.v1.ImageTarget;
import multimodal.v1.LabelScore;
import multimodal.v1.RankTextsRequest;
import multimodal.v1.RankTextsResponse;
import multimodal.v1.RerankRequest;
import multimodal.v1.RerankResponse;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.SearchFilter;
import multimodal.v1.SearchHit;
import multimodal.v1.SearchMode;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;
import multimodal.v1.TextScore;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gRPC API over a seeded index; the app serves a fake EncoderService ({@link
 * FakeEncoderService}: colour CLIP, hashed bag-of-words "minilm") to itself.
 */
@QuarkusTest
@QuarkusTestResource(value = TempIndexDirResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = NoConsumerResource.class, restrictToAnnotatedClass = true)
class RetrievalGrpcServiceTest {
  static final ModelVersion FAKE = FakeQueryEncoder.CLIP;
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final SearchRequest RED_VECTOR =
      SearchRequest.newBuilder()
          .setTenant("default")
          .setText("red")
          .setMode(SearchMode.SEARCH_MODE_VECTOR)
          .build();

  @Inject LuceneMediaIndex index;

  @GrpcClient("retrieval")
  RetrievalServiceGrpc.RetrievalServiceBlockingStub client;

  @BeforeEach
  void seed() {
    IndexUpdater updater =
        new IndexUpdater(index, new FakeQueryEncoder(), "minilm", "default", Duration.ofMillis(1));
    List<IndexChange> changes = new ArrayList<>();
    item(
        changes,
        "red-img",
        "default",
        "image/jpeg",
        List.of("warm"),
        T0.minusSeconds(5),
        "a red fire truck",
        "",
        1,
        0,
        0,
        0);
    item(
        changes,
        "yellow-img",
        "default",
        "image/png",
        List.of("warm"),
        T0.plusSeconds(10),
        "a yellow banana",
        "",
        1,
        1,
        0,
        0);
    item(
        changes,
        "blue-img",
        "default",
        "image/jpeg",
        List.of("cold"),
        T0.plusSeconds(20),
        "the blue sea with a small boat",
        "HARBOUR",
        0,
        0,
        1,
        0);
    item(
        changes,
        "red-copy",
        "default",
        "image/jpeg",
        List.of(),
        T0.plusSeconds(30),
        "another red truck",
        "",
        0.99f,
        0.05f,
        0,
        0);
    item(changes, "acme-red", "acme", "image/jpeg", List.of(), T0, "", "", 1, 0, 0, 0);
    item(
        changes,
        "boat-only",
        "default",
        "image/png",
        List.of(),
        T0.plusSeconds(40),
        "boat trip",
        "");
    // The same media id in another tenant: another item.
    item(
        changes,
        "blue-img",
        "acme",
        "image/png",
        List.of("acme"),
        T0,
        "acme's own blue image",
        "",
        0,
        1,
        0,
        0);
    updater.apply(changes.stream().map(c -> new IndexUpdater.Record(c, null)).toList(), () -> true);
  }

  @Test
  void searchesByTextThroughClipRankedByCosine() {
    SearchResponse response = client.search(RED_VECTOR.toBuilder().setK(3).build());

    assertThat(ids(response)).containsExactly("red-img", "red-copy", "yellow-img");
    assertThat(response.getHits(0).getScore()).isCloseTo(1f, within(1e-5f));
    assertThat(response.getHits(2).getScore()).isCloseTo((float) Math.sqrt(0.5), within(1e-5f));
    assertThat(response.getHits(0).getMetadataMap()).containsEntry("title", "red-img");
    assertThat(response.getHits(0).getContentType()).isEqualTo("image/jpeg");
    assertThat(response.getHits(0).getCaption()).isEqualTo("a red fire truck");
    assertThat(response.getHits(0).getTagsList()).containsExactly("warm");
    assertThat(response.getModelName()).isEqualTo("clip");
    assertThat(response.getModelVersion()).isEqualTo("fake-1");
  }

  @Test
  void searchesOnlyTheRequestedTenantAndDropsHitsBelowMinScore() {
    SearchResponse acme = client.search(RED_VECTOR.toBuilder().setTenant("acme").build());
    SearchResponse strict = client.search(RED_VECTOR.toBuilder().setMinScore(0.9f).build());

    assertThat(ids(acme)).containsExactly("acme-red", "blue-img"); // acme's blue-img, not default's
    assertThat(ids(strict)).containsExactly("red-img", "red-copy");
  }

  @Test
  void hybridFusesClipBm25AndDenseTextAndExplainsWhichSourcesMatched() {
    SearchResponse hybrid =
        client.search(
            SearchRequest.newBuilder()
                .setTenant("default")
                .setText("boat")
                .setExplain(true)
                .build());
    SearchResponse textOnly =
        client.search(
            SearchRequest.newBuilder()
                .setTenant("default")
                .setText("boat")
                .setMode(SearchMode.SEARCH_MODE_TEXT)
                .setExplain(true)
                .build());

    assertThat(ids(hybrid).subList(0, 2)).containsExactlyInAnyOrder("blue-img", "boat-only");
    assertThat(hit(hybrid, "blue-img").getSourceScoresMap())
        .containsOnlyKeys("clip", "bm25", "dense_text");
    // No image vector: found through its caption alone.
    assertThat(hit(hybrid, "boat-only").getSourceScoresMap())
        .containsOnlyKeys("bm25", "dense_text");
    assertThat(ids(textOnly)).startsWith("boat-only", "blue-img");
    assertThat(textOnly.getHitsList())
        .allSatisfy(h -> assertThat(h.getSourceScoresMap()).doesNotContainKey("clip"));
    // Weights: BM25 alone (dense text and CLIP off) finds exactly the two captions with "boat".
    SearchResponse bm25 =
        client.search(
            SearchRequest.newBuilder()
                .setTenant("default")
                .setText("boat")
                .setWeights(multimodal.v1.SourceWeights.newBuilder().setClip(0).setDenseText(0))
                .build());
    assertThat(ids(bm25)).containsExactlyInAnyOrder("boat-only", "blue-img");
    // OCR text is searchable too.
    assertThat(
            ids(
                client.search(
                    SearchRequest.newBuilder()
                        .setTenant("default")
                        .setText("harbour")
                        .setMode(SearchMode.SEARCH_MODE_TEXT)
                        .build())))
        .startsWith("blue-img");
  }

  @Test
  void filtersByTagsContentTypeIngestTimeAndModelVersion() {
    assertThat(
            ids(
                client.search(
                    RED_VECTOR.toBuilder()
                        .setFilter(SearchFilter.newBuilder().addTags("warm"))
                        .build())))
        .containsExactly("red-img", "yellow-img");
    assertThat(
            ids(
                client.search(
                    RED_VECTOR.toBuilder()
                        .setFilter(SearchFilter.newBuilder().addContentTypes("image/png"))
                        .build())))
        .containsExactly("yellow-img");
    assertThat(
            ids(
                client.search(
                    RED_VECTOR.toBuilder()
                        .setFilter(
                            SearchFilter.newBuilder()
                                .setIngestedAfter(ts(T0))
                                .setIngestedBefore(ts(T0.plusSeconds(25))))
                        .build())))
        .containsExactly("yellow-img", "blue-img");
    assertThat(
            ids(
                client.search(
                    SearchRequest.newBuilder()
                        .setTenant("default")
                        .setMediaId("red-img")
                        .setFilter(SearchFilter.newBuilder().setModelVersion("fake-1"))
                        .setK(1)
                        .build())))
        .containsExactly("red-img");
    StatusRuntimeException other =
        fail(
            RED_VECTOR.toBuilder()
                .setFilter(SearchFilter.newBuilder().setModelVersion("other-2"))
                .build());
    assertThat(other.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void pagesThroughAllResultsWithPageTokens() {
    List<String> seen = new ArrayList<>();
    SearchResponse page = client.search(RED_VECTOR.toBuilder().setK(3).build());
    seen.addAll(ids(page));
    assertThat(page.getNextPageToken()).isNotEmpty();
    page =
        client.search(RED_VECTOR.toBuilder().setK(3).setPageToken(page.getNextPageToken()).build());
    seen.addAll(ids(page));

    assertThat(page.getNextPageToken()).isEmpty();
    assertThat(seen).containsExactly("red-img", "red-copy", "yellow-img", "blue-img");
    StatusRuntimeException foreign =
        fail(
            SearchRequest.newBuilder()
                .setTenant("default")
                .setText("blue")
                .setPageToken(
                    client.search(RED_VECTOR.toBuilder().setK(1).build()).getNextPageToken())
                .build());
    assertThat(detail(foreign, BadRequest.class).getFieldViolations(0).getField())
        .isEqualTo("page_token");
  }

  @Test
  void dropsNearDuplicatesAboveTheThreshold() {
    SearchResponse deduped =
        client.search(RED_VECTOR.toBuilder().setDedupeThreshold(0.95f).build());

    assertThat(ids(deduped)).containsExactly("red-img", "yellow-img", "blue-img");
  }

  @Test
  void ranksTextsForAnImageWithSoftmaxOverScaledCosines() {
    RankTextsResponse inline =
        client.rankTexts(
            RankTextsRequest.newBuilder()
                .setTenant("default")
                .setImage(
                    ImageTarget.newBuilder()
                        .setImage(ImageSource.newBuilder().setData(ByteString.copyFromUtf8("red"))))
                .addTexts("green")
                .addTexts("red")
                .addTexts("blue")
                .build());
    RankTextsResponse stored =
        client.rankTexts(
            RankTextsRequest.newBuilder()
                .setTenant("default")
                .setImage(ImageTarget.newBuilder().setMediaId("yellow-img"))
                .addTexts("red")
                .addTexts("blue")
                .build());

    assertThat(inline.getScoresList())
        .extracting(TextScore::getText)
        .containsExactly("red", "green", "blue");
    assertThat(inline.getScores(0).getIndex()).isEqualTo(1);
    assertThat(inline.getScores(0).getLogit()).isCloseTo(100f, within(1e-3f));
    assertThat(inline.getScores(0).getProbability()).isGreaterThan(0.99f);
    // yellow·red = cos 45°: logit 70.7 against 0.
    assertThat(stored.getScores(0).getText()).isEqualTo("red");
    assertThat(stored.getScores(0).getLogit()).isCloseTo(70.71f, within(0.01f));
    assertThat(inline.getModelVersion()).isEqualTo("fake-1");
  }

  @Test
  void classifiesZeroShotWithClipTemplatesByDefault() {
    ClassifyResponse red =
        client.classify(
            ClassifyRequest.newBuilder()
                .setTenant("default")
                .setImage(
                    ImageTarget.newBuilder()
                        .setImage(ImageSource.newBuilder().setData(ByteString.copyFromUtf8("red"))))
                .addLabels("red")
                .addLabels("green")
                .addLabels("blue")
                .build());
    ClassifyResponse blue =
        client.classify(
            ClassifyRequest.newBuilder()
                .setTenant("default")
                .setImage(ImageTarget.newBuilder().setMediaId("blue-img"))
                .addLabels("red")
                .addLabels("blue")
                .build());
    // A template that hides the label ("thing" is the last word the fake reads): no preference.
    ClassifyResponse blind =
        client.classify(
            ClassifyRequest.newBuilder()
                .setTenant("default")
                .setImage(ImageTarget.newBuilder().setMediaId("blue-img"))
                .addLabels("red")
                .addLabels("blue")
                .addTemplates("a {} thing")
                .build());

    assertThat(ZeroShot.IMAGENET_TEMPLATES)
        .hasSize(80)
        .contains("a photo of a {}.", "itap of my {}.");
    assertThat(red.getLabelsList())
        .extracting(LabelScore::getLabel)
        .containsExactly("red", "green", "blue");
    assertThat(red.getLabels(0).getProbability()).isGreaterThan(0.99f);
    assertThat(blue.getLabels(0).getLabel()).isEqualTo("blue");
    assertThat(blind.getLabelsList())
        .allSatisfy(l -> assertThat(l.getProbability()).isCloseTo(0.5f, within(1e-4f)));
  }

  @Test
  void reranksGivenMediaByClipScoreAndListsTheMissing() {
    RerankResponse response =
        client.rerank(
            RerankRequest.newBuilder()
                .setTenant("default")
                .setText("blue")
                .addMediaIds("red-img")
                .addMediaIds("blue-img")
                .addMediaIds("nope")
                .build());

    assertThat(response.getHitsList())
        .extracting(SearchHit::getMediaId)
        .containsExactly("blue-img", "red-img");
    assertThat(response.getHits(0).getScore()).isCloseTo(1f, within(1e-5f));
    assertThat(response.getMissingMediaIdsList()).containsExactly("nope");
  }

  @Test
  void reranksCallerImagesByClipScoreNotByTheirOrder() {
    // The fake CLIP reads an image's bytes as its colour word.
    RerankResponse response =
        client.rerank(
            RerankRequest.newBuilder()
                .setTenant("default")
                .setText("blue")
                .addImages(ImageSource.newBuilder().setData(ByteString.copyFromUtf8("red")))
                .addImages(
                    ImageSource.newBuilder()
                        .setData(ByteString.copyFromUtf8("blue"))
                        .setClientId("the blue one"))
                .addImages(ImageSource.newBuilder().setData(ByteString.copyFromUtf8("yellow")))
                .build());

    assertThat(response.getImagesList()).extracting(ImageScore::getIndex).startsWith(1);
    assertThat(response.getImages(0).getClientId()).isEqualTo("the blue one");
    assertThat(response.getImages(0).getScore()).isCloseTo(1f, within(1e-5f));
    assertThat(response.getImagesList())
        .extracting(ImageScore::getScore)
        .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(response.getModel().getName()).isEqualTo(FakeEncoderService.MODEL);
    assertThat(response.getHitsList()).isEmpty();

    StatusRuntimeException both =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                client.rerank(
                    RerankRequest.newBuilder()
                        .setTenant("default")
                        .setText("blue")
                        .addMediaIds("red-img")
                        .addImages(ImageSource.newBuilder().setData(ByteString.copyFromUtf8("red")))
                        .build()));
    assertThat(both.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void searchesByMediaIdEmbeddingAndImage() {
    SearchResponse byMedia =
        client.search(
            SearchRequest.newBuilder().setTenant("default").setMediaId("blue-img").setK(1).build());
    SearchResponse byEmbedding =
        client.search(
            SearchRequest.newBuilder()
                .setTenant("default")
                .setEmbedding(FakeEncoderService.embedding("yellow"))
                .setK(1)
                .build());
    SearchResponse byImage =
        client.search(
            SearchRequest.newBuilder()
                .setTenant("default")
                .setImage(
                    ImageSource.newBuilder()
                        .setData(ByteString.copyFrom("red", StandardCharsets.UTF_8)))
                .setK(1)
                .build());

    assertThat(byMedia.getHitsList()).extracting(SearchHit::getMediaId).containsExactly("blue-img");
    assertThat(byEmbedding.getHitsList())
        .extracting(SearchHit::getMediaId)
        .containsExactly("yellow-img");
    assertThat(byImage.getHitsList()).extracting(SearchHit::getMediaId).containsExactly("red-img");
  }

  @Test
  void rejectsKOutOfRangeWithBadRequest() {
    for (int k : new int[] {-1, 1001}) {
      StatusRuntimeException error =
          fail(SearchRequest.newBuilder().setTenant("default").setText("red").setK(k).build());

      assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(detail(error, BadRequest.class).getFieldViolations(0).getField()).isEqualTo("k");
    }
  }

  @Test
  void rejectsEmptyTextWithInvalidArgument() {
    StatusRuntimeException error =
        fail(SearchRequest.newBuilder().setTenant("default").setText(" ").build());

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(detail(error, BadRequest.class).getFieldViolations(0).getField()).isEqualTo("text");
  }

  @Test
  void reportsEncoderOutageAsUnavailableWithRetryInfo() {
    StatusRuntimeException error =
        fail(SearchRequest.newBuilder().setTenant("default").setText("unavailable").build());

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(detail(error, RetryInfo.class).getRetryDelay().getSeconds()).isPositive();
  }

  @Test
  void reportsUnknownMediaAsNotFound() {
    StatusRuntimeException search =
        fail(SearchRequest.newBuilder().setTenant("default").setMediaId("nope").build());
    StatusRuntimeException get =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                client.getMedia(
                    GetMediaRequest.newBuilder().setTenant("default").setMediaId("nope").build()));

    assertThat(search.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(get.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(detail(get, ResourceInfo.class).getResourceName()).isEqualTo("nope");
  }

  /** An internal call names its tenant; empty used to mean "any tenant" (GetMedia) or "default". */
  @Test
  void everyRpcRefusesAnEmptyOrMalformedTenantWithBadRequest() {
    Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
    calls.put("Search", () -> client.search(RED_VECTOR.toBuilder().clearTenant().build()));
    calls.put(
        "GetMedia",
        () -> client.getMedia(GetMediaRequest.newBuilder().setMediaId("blue-img").build()));
    calls.put(
        "RankTexts",
        () ->
            client.rankTexts(
                RankTextsRequest.newBuilder()
                    .setImage(ImageTarget.newBuilder().setMediaId("blue-img"))
                    .addTexts("sea")
                    .build()));
    calls.put(
        "Classify",
        () ->
            client.classify(
                ClassifyRequest.newBuilder()
                    .setImage(ImageTarget.newBuilder().setMediaId("blue-img"))
                    .addLabels("sea")
                    .build()));
    calls.put(
        "Rerank",
        () ->
            client.rerank(
                RerankRequest.newBuilder().setText("sea").addMediaIds("blue-img").build()));
    calls.put(
        "GetMedia malformed",
        () ->
            client.getMedia(
                GetMediaRequest.newBuilder().setTenant("Acme").setMediaId("blue-img").build()));
    calls.forEach(
        (name, call) -> {
          StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class, call);
          assertThat(error).as(name).isNotNull();
          assertThat(error.getStatus().getCode()).as(name).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(detail(error, BadRequest.class).getFieldViolations(0).getField())
              .as(name)
              .isEqualTo("tenant");
        });
  }

  @Test
  void twoTenantsWithTheSameMediaIdEachGetTheirOwnItem() {
    GetMediaResponse asDefault =
        client.getMedia(
            GetMediaRequest.newBuilder().setTenant("default").setMediaId("blue-img").build());
    GetMediaResponse asAcme =
        client.getMedia(
            GetMediaRequest.newBuilder().setTenant("acme").setMediaId("blue-img").build());
    StatusRuntimeException asOther =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                client.getMedia(
                    GetMediaRequest.newBuilder()
                        .setTenant("globex")
                        .setMediaId("blue-img")
                        .build()));

    assertThat(asDefault.getTenant()).isEqualTo("default");
    assertThat(asDefault.getCaption()).isEqualTo("the blue sea with a small boat");
    assertThat(asAcme.getTenant()).isEqualTo("acme");
    assertThat(asAcme.getCaption()).isEqualTo("acme's own blue image");
    assertThat(asOther.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    SearchResponse acmeSearch =
        client.search(
            SearchRequest.newBuilder()
                .setTenant("acme")
                .setText("own")
                .setMode(SearchMode.SEARCH_MODE_TEXT)
                .build());
    assertThat(acmeSearch.getHits(0).getMediaId()).isEqualTo("blue-img");
    assertThat(acmeSearch.getHits(0).getCaption()).isEqualTo("acme's own blue image");
    assertThat(ids(acmeSearch)).containsOnly("blue-img", "acme-red");
  }

  @Test
  void getMediaSaysWhatIsKnown() {
    GetMediaResponse media =
        client.getMedia(
            GetMediaRequest.newBuilder().setTenant("default").setMediaId("blue-img").build());
    GetMediaResponse captionOnly =
        client.getMedia(
            GetMediaRequest.newBuilder().setTenant("default").setMediaId("boat-only").build());

    assertThat(media.getTenant()).isEqualTo("default");
    assertThat(media.getContentType()).isEqualTo("image/jpeg");
    assertThat(media.getMetadataMap()).containsEntry("title", "blue-img");
    assertThat(media.getTagsList()).containsExactly("cold");
    assertThat(media.getIngestedAt().getSeconds()).isEqualTo(T0.getEpochSecond() + 20);
    assertThat(media.getCaptioned()).isTrue();
    assertThat(media.getCaption()).isEqualTo("the blue sea with a small boat");
    assertThat(media.getOcrDone()).isTrue();
    assertThat(media.getOcrText()).isEqualTo("HARBOUR");
    assertThat(media.getEmbeddedByList())
        .extracting(EmbeddedBy::getModelName, EmbeddedBy::getModelVersion, EmbeddedBy::getDimension)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("clip", "fake-1", 4));
    assertThat(captionOnly.getEmbeddedByList()).isEmpty();
    assertThat(captionOnly.getCaptioned()).isTrue();
    assertThat(captionOnly.getOcrDone()).isFalse();
  }

  @Test
  void exposesReadinessAndSearchMetrics() {
    client.search(SearchRequest.newBuilder().setTenant("default").setText("green").build());

    given()
        .port(managementPort())
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body(containsString("lucene-index"));
    given()
        .port(managementPort())
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("retrieval_search_seconds_count"));
  }

  private StatusRuntimeException fail(SearchRequest request) {
    StatusRuntimeException error =
        catchThrowableOfType(StatusRuntimeException.class, () -> client.search(request));
    assertThat(error).as("expected a gRPC error").isNotNull();
    return error;
  }

  private static <T extends com.google.protobuf.Message> T detail(
      StatusRuntimeException error, Class<T> type) {
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    assertThat(status).isNotNull();
    for (Any any : status.getDetailsList()) {
      if (any.is(type)) {
        try {
          return any.unpack(type);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + status.getDetailsList());
  }

  private static List<String> ids(SearchResponse response) {
    return response.getHitsList().stream().map(SearchHit::getMediaId).toList();
  }

  private static SearchHit hit(SearchResponse response, String id) {
    return response.getHitsList().stream()
        .filter(h -> h.getMediaId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private static Timestamp ts(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).build();
  }

  private static void item(
      List<IndexChange> changes,
      String id,
      String tenant,
      String contentType,
      List<String> tags,
      Instant ingestedAt,
      String caption,
      String ocr,
      float... vector) {
    changes.add(
        new IndexChange.Ingested(id, tenant, contentType, Map.of("title", id), tags, ingestedAt));
    if (vector.length > 0) {
      changes.add(
          new IndexChange.Embedded(
              new MediaEmbedding(
                  id, tenant, contentType, Map.of(), List.of(), null, T0, FAKE, vector)));
    }
    if (!caption.isEmpty() || !ocr.isEmpty()) {
      changes.add(
          new IndexChange.Captioned(
              id, tenant, caption, "captioner@1", ocr, ocr.isEmpty() ? "" : "tesseract", T0));
    }
  }

  /** Health and metrics answer on the management interface's port, not on the service port. */
  private static int managementPort() {
    return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
  }
}
