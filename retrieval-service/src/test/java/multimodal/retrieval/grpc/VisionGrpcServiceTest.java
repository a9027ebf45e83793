package multimodal.retrieval.grpc;

import static multimodal.retrieval.TestVision.analysed;
import static multimodal.retrieval.TestVision.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import multimodal.retrieval.FakeQueryEncoder;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.NoConsumerResource;
import multimodal.retrieval.TempIndexDirResource;
import multimodal.retrieval.TestVision;
import multimodal.retrieval.index.IndexUpdater;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.SearchFilter;
import multimodal.v1.SearchHit;
import multimodal.v1.SearchMode;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Object tags and safe search over gRPC, as in the local run: the CLIP fixture knows colours, not
 * horses, and the fixture captioner says "a black square" of every photo; only the detector's tags
 * tell the photos apart.
 */
@QuarkusTest
@QuarkusTestResource(value = TempIndexDirResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = NoConsumerResource.class, restrictToAnnotatedClass = true)
class VisionGrpcServiceTest {
  static final String ZOO = "zoo";
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Inject LuceneMediaIndex index;

  @GrpcClient("retrieval")
  RetrievalServiceGrpc.RetrievalServiceBlockingStub client;

  @BeforeEach
  void seed() {
    IndexUpdater updater =
        new IndexUpdater(index, new FakeQueryEncoder(), "minilm", "default", Duration.ofMillis(1));
    List<IndexChange> changes = new ArrayList<>();
    // The fixture CLIP maps "horse" to its last axis: coffee.png is CLIP's nearest.
    photo(changes, "horse.png", 0.8f, 0.6f, 0, 0.1f);
    changes.add(analysed("horse.png", ZOO, 0.02f, object("horse", 0.54f)));
    photo(changes, "coffee.png", 0, 0, 0.1f, 1);
    changes.add(
        analysed("coffee.png", ZOO, 0.01f, object("cup", 0.47f), object("dining table", 0.41f)));
    photo(changes, "astronaut.png", 0, 0.2f, 1, 0.3f);
    changes.add(analysed("astronaut.png", ZOO, 0.8f, object("person", 0.61f)));
    photo(changes, "chelsea.png", 0.5f, 0.5f, 0.5f, 0.5f);
    changes.add(analysed("chelsea.png", ZOO, Float.NaN, object("dog", 0.47f)));
    photo(changes, "new.png", 0.1f, 0.1f, 0.1f, 0.9f);
    updater.apply(changes.stream().map(c -> new IndexUpdater.Record(c, null)).toList(), () -> true);
  }

  @Test
  void aTextSearchRanksTheTaggedPhotoFirstThroughItsTagsWhereClipAloneDoesNot() {
    SearchRequest horse =
        SearchRequest.newBuilder().setTenant(ZOO).setText("horse").setExplain(true).build();

    SearchResponse clipOnly =
        client.search(horse.toBuilder().setMode(SearchMode.SEARCH_MODE_VECTOR).build());
    SearchResponse hybrid = client.search(horse);
    SearchResponse text =
        client.search(horse.toBuilder().setMode(SearchMode.SEARCH_MODE_TEXT).build());

    assertThat(ids(clipOnly).get(0)).isEqualTo("coffee.png");
    assertThat(ids(hybrid).get(0)).isEqualTo("horse.png");
    assertThat(hybrid.getHits(0).getSourceScoresMap()).containsKeys("clip", "bm25", "dense_text");
    assertThat(ids(text).get(0)).isEqualTo("horse.png");
    assertThat(ids(client.search(horse.toBuilder().setText("dining table").build())).get(0))
        .isEqualTo("coffee.png");

    SearchHit hit = hybrid.getHits(0);
    assertThat(hit.getObjectsList()).extracting(o -> o.getLabel()).containsExactly("horse");
    assertThat(hit.getObjects(0).getScore()).isEqualTo(0.54f);
    assertThat(hit.getObjects(0).getBox().getXMax()).isEqualTo(0.1f + 0.54f / 2);
    assertThat(hit.getSafetyList())
        .extracting(c -> c.getLabel())
        .containsExactly("drawing", "hentai", "neutral", "porn", "sexy");
    assertThat(hit.getUnsafeScore()).isEqualTo(0.02f);
    assertThat(hit(hybrid, "new.png").getObjectsList()).isEmpty();
    assertThat(hit(hybrid, "new.png").getSafetyList()).isEmpty();

    // The fixture CLIP answered and the fixture captioner wrote the captions: both say so.
    assertThat(clipOnly.getModelFixture()).isTrue();
    assertThat(hit.getCaptionFixture()).isTrue();
    assertThat(hit(hybrid, "new.png").getCaptionFixture()).isTrue();
  }

  @Test
  void theObjectsFilterKeepsItemsWithEveryLabel() {
    SearchRequest red =
        SearchRequest.newBuilder()
            .setTenant(ZOO)
            .setText("red")
            .setMode(SearchMode.SEARCH_MODE_VECTOR)
            .build();

    assertThat(
            ids(
                client.search(
                    red.toBuilder()
                        .setFilter(SearchFilter.newBuilder().addObjects("Dining Table"))
                        .build())))
        .containsExactly("coffee.png");
    assertThat(
            ids(
                client.search(
                    red.toBuilder()
                        .setFilter(SearchFilter.newBuilder().addObjects("cup").addObjects("horse"))
                        .build())))
        .isEmpty();
    StatusRuntimeException blank =
        fail(red.toBuilder().setFilter(SearchFilter.newBuilder().addObjects(" ")).build());
    assertThat(badField(blank)).isEqualTo("filter.objects");
  }

  @Test
  void safeSearchUsesTheConfiguredThresholdKeepsUnscoredItemsUnlessAskedAndIsOffByDefault() {
    SearchRequest all =
        SearchRequest.newBuilder()
            .setTenant(ZOO)
            .setText("red")
            .setMode(SearchMode.SEARCH_MODE_VECTOR)
            .setK(10)
            .build();

    assertThat(ids(client.search(all))).hasSize(5).contains("astronaut.png");
    SearchResponse safe =
        client.search(all.toBuilder().setFilter(SearchFilter.newBuilder().setSafe(true)).build());
    assertThat(ids(safe))
        .containsExactlyInAnyOrder("horse.png", "coffee.png", "chelsea.png", "new.png");
    SearchResponse lenient =
        client.search(
            all.toBuilder()
                .setFilter(SearchFilter.newBuilder().setSafe(true).setUnsafeThreshold(0.8f))
                .build());
    assertThat(ids(lenient)).hasSize(5);
    SearchResponse scoredOnly =
        client.search(
            all.toBuilder()
                .setFilter(SearchFilter.newBuilder().setSafe(true).setExcludeUnscored(true))
                .build());
    assertThat(ids(scoredOnly)).containsExactlyInAnyOrder("horse.png", "coffee.png");
    // The threshold without safe changes nothing (but is still checked).
    assertThat(
            ids(
                client.search(
                    all.toBuilder()
                        .setFilter(SearchFilter.newBuilder().setUnsafeThreshold(0.1f))
                        .build())))
        .hasSize(5);

    for (float bad : new float[] {-0.1f, 1.01f, Float.NaN}) {
      StatusRuntimeException error =
          fail(
              all.toBuilder()
                  .setFilter(SearchFilter.newBuilder().setSafe(true).setUnsafeThreshold(bad))
                  .build());
      assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(badField(error)).isEqualTo("filter.unsafe_threshold");
    }
  }

  @Test
  void getMediaShowsTheVisionPartAndWhichModelsAreFixtures() {
    GetMediaResponse horse =
        client.getMedia(
            GetMediaRequest.newBuilder().setTenant(ZOO).setMediaId("horse.png").build());

    assertThat(horse.getAnalysed()).isTrue();
    assertThat(horse.getObjectsList()).extracting(o -> o.getLabel()).containsExactly("horse");
    assertThat(horse.getDetector()).isEqualTo(TestVision.DETECTOR);
    assertThat(horse.getSafetyModel()).isEqualTo(TestVision.SAFETY);
    assertThat(horse.getSafetyCount()).isEqualTo(5);
    assertThat(horse.getUnsafeScore()).isEqualTo(0.02f);
    assertThat(horse.getImageWidth()).isEqualTo(640);
    assertThat(horse.getImageHeight()).isEqualTo(480);
    assertThat(horse.getCaptionModel().getName()).isEqualTo("vit-gpt2");
    assertThat(horse.getCaptionModel().getVersion()).isEqualTo("fixture-1");
    assertThat(horse.getCaptionModel().getFixture()).isTrue();
    assertThat(horse.getEmbeddedBy(0).getFixture()).isTrue();

    GetMediaResponse chelsea =
        client.getMedia(
            GetMediaRequest.newBuilder().setTenant(ZOO).setMediaId("chelsea.png").build());
    assertThat(chelsea.getAnalysed()).isTrue();
    assertThat(chelsea.getSafetyList()).isEmpty();
    assertThat(chelsea.hasSafetyModel()).isFalse();
    GetMediaResponse fresh =
        client.getMedia(GetMediaRequest.newBuilder().setTenant(ZOO).setMediaId("new.png").build());
    assertThat(fresh.getAnalysed()).isFalse();
    assertThat(fresh.getObjectsList()).isEmpty();
    assertThat(fresh.hasDetector()).isFalse();
  }

  /** Ingest, a fixture CLIP vector and the fixture captioner's answer. */
  private static void photo(List<IndexChange> changes, String id, float... clip) {
    changes.add(new IndexChange.Ingested(id, ZOO, "image/png", Map.of(), List.of(), T0));
    changes.add(
        new IndexChange.Embedded(
            new MediaEmbedding(
                id,
                ZOO,
                "image/png",
                Map.of(),
                List.of(),
                T0,
                T0,
                FakeQueryEncoder.CLIP,
                clip,
                true)));
    changes.add(
        new IndexChange.Captioned(
            id, ZOO, "a black square", "vit-gpt2@fixture-1", "", "", T0, true));
  }

  private StatusRuntimeException fail(SearchRequest request) {
    StatusRuntimeException error =
        catchThrowableOfType(StatusRuntimeException.class, () -> client.search(request));
    assertThat(error).as("expected a gRPC error").isNotNull();
    return error;
  }

  private static String badField(StatusRuntimeException error) {
    com.google.rpc.Status status = StatusProto.fromThrowable(error);
    assertThat(status).isNotNull();
    return status.getDetailsList().stream()
        .filter(any -> any.is(BadRequest.class))
        .map(
            any -> {
              try {
                return any.unpack(BadRequest.class).getFieldViolations(0).getField();
              } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
              }
            })
        .findFirst()
        .orElseThrow();
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
}
