package multimodal.retrieval.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import multimodal.retrieval.FakeQueryEncoder;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.NoConsumerResource;
import multimodal.retrieval.TempIndexDirResource;
import multimodal.retrieval.TestVision;
import multimodal.retrieval.index.IndexUpdater;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.retrieval.messaging.EmbeddingEventMapper;
import multimodal.retrieval.messaging.RecordDecoder;
import multimodal.v1.DetectedObject;
import multimodal.v1.Embedding;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.MediaEmbeddingEvent;
import multimodal.v1.MediaVisionEvent;
import multimodal.v1.RerankRequest;
import multimodal.v1.RerankResponse;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.SearchFilter;
import multimodal.v1.SearchHit;
import multimodal.v1.SearchMode;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;
import multimodal.v1.SegmentEmbedding;
import multimodal.v1.TimeRange;
import multimodal.v1.TimedText;
import multimodal.v1.Topics;
import multimodal.v1.VisionSegment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Video items over gRPC: a media.embedding.v1 event with keyframe segments is indexed through the
 * same mapper as the consumer's; a vector query (text or image) finds the video and names its best
 * keyframes with their time ranges, best first; GetMedia lists the keyframes.
 */
@QuarkusTest
@QuarkusTestResource(value = TempIndexDirResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = NoConsumerResource.class, restrictToAnnotatedClass = true)
class VideoGrpcServiceTest {
  static final String STUDIO = "video-studio";
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Inject LuceneMediaIndex index;

  @GrpcClient("retrieval")
  RetrievalServiceGrpc.RetrievalServiceBlockingStub client;

  @BeforeEach
  void seed() {
    IndexUpdater updater =
        new IndexUpdater(index, new FakeQueryEncoder(), "minilm", "default", Duration.ofMillis(1));
    // Three scenes: red 0-3 s, green 3-6 s, blue 6-9 s; the item vector their mean.
    MediaEmbeddingEvent video =
        MediaEmbeddingEvent.newBuilder()
            .setMediaId("scenes.mp4")
            .setTenant(STUDIO)
            .setContentType("video/mp4")
            .setDurationMs(9_000)
            .setEmbedding(embedding(new float[] {1, 1, 1, 0}))
            .addSegments(segment(0, 3_000, "red"))
            .addSegments(segment(3_000, 6_000, "green"))
            .addSegments(segment(6_000, 9_000, "blue"))
            .build();
    MediaEmbeddingEvent image =
        MediaEmbeddingEvent.newBuilder()
            .setMediaId("yellow.png")
            .setTenant(STUDIO)
            .setContentType("image/png")
            .setEmbedding(embedding(FakeQueryEncoder.colour("yellow")))
            .build();
    EmbeddingEventMapper mapper = new EmbeddingEventMapper("default");
    List<IndexChange> changes =
        List.of(
            new IndexChange.Ingested("scenes.mp4", STUDIO, "video/mp4", Map.of(), List.of(), T0),
            new IndexChange.Embedded(mapper.fromRecord("scenes.mp4", video.toByteArray())),
            new IndexChange.Embedded(mapper.fromRecord("yellow.png", image.toByteArray())),
            new RecordDecoder("default")
                .decode(Topics.MEDIA_VISION, "scenes.mp4", keyframeTags().toByteArray(), Map.of()));
    updater.apply(changes.stream().map(c -> new IndexUpdater.Record(c, null)).toList(), () -> true);
  }

  @Test
  void aTextQueryForOneSceneFindsTheVideoWithThatScenesTimeRangeFirst() {
    SearchResponse response = client.search(greenScene().build());

    SearchHit video = hit(response, "scenes.mp4");
    assertThat(video.getContentType()).isEqualTo("video/mp4");
    assertThat(video.getSegmentsList())
        .extracting(s -> s.getTime().getStartMs())
        .first()
        .isEqualTo(3_000L);
    assertThat(video.getSegments(0).getTime().getEndMs()).isEqualTo(6_000);
    assertThat(video.getSegments(0).getScore()).isEqualTo(1f, withinCosine());
    assertThat(video.getSegmentsList())
        .extracting(TimedText::getScore)
        .isSortedAccordingTo((a, b) -> Float.compare(b, a));
    assertThat(hit(response, "yellow.png").getSegmentsList()).isEmpty();
  }

  @Test
  void theVideoRanksByItsBestSceneNotByItsMean() {
    // "green" is closer to the yellow image (cosine 0.71) than to the video's mean (0.58), but the
    // video's green scene is the query itself: the video is the one hit.
    SearchResponse response = client.search(greenScene().setK(1).build());

    assertThat(response.getHitsList())
        .extracting(SearchHit::getMediaId)
        .containsExactly("scenes.mp4");
    assertThat(response.getHits(0).getScore()).isEqualTo(1f, withinCosine());
    assertThat(response.getHits(0).getSegments(0).getTime())
        .isEqualTo(TimeRange.newBuilder().setStartMs(3_000).setEndMs(6_000).build());
  }

  @Test
  void rerankScoresTheVideoByItsBestSceneNotByItsMean() {
    RerankResponse response =
        client.rerank(
            RerankRequest.newBuilder()
                .setTenant(STUDIO)
                .setText("something green")
                .addMediaIds("yellow.png")
                .addMediaIds("scenes.mp4")
                .build());

    assertThat(response.getHitsList())
        .extracting(SearchHit::getMediaId)
        .containsExactly("scenes.mp4", "yellow.png");
    assertThat(response.getHits(0).getScore()).isEqualTo(1f, withinCosine());
    assertThat(response.getHits(0).getSegments(0).getTime())
        .isEqualTo(TimeRange.newBuilder().setStartMs(3_000).setEndMs(6_000).build());
    assertThat(response.getHits(1).getSegmentsList()).isEmpty();
  }

  @Test
  void anImageQueryPointsAtTheSceneThatLooksLikeIt() {
    SearchResponse response =
        client.search(
            SearchRequest.newBuilder()
                .setTenant(STUDIO)
                .setImage(
                    multimodal.v1.ImageSource.newBuilder()
                        .setData(com.google.protobuf.ByteString.copyFromUtf8("blue")))
                .build());

    assertThat(hit(response, "scenes.mp4").getSegments(0).getTime())
        .isEqualTo(TimeRange.newBuilder().setStartMs(6_000).setEndMs(9_000).build());
  }

  @Test
  void getMediaListsTheKeyframesAndTheLength() {
    GetMediaResponse media =
        client.getMedia(
            GetMediaRequest.newBuilder().setTenant(STUDIO).setMediaId("scenes.mp4").build());

    assertThat(media.getDurationMs()).isEqualTo(9_000);
    assertThat(media.getKeyframesList())
        .extracting(k -> List.of(k.getTime().getStartMs(), k.getTime().getEndMs()))
        .containsExactly(List.of(0L, 3_000L), List.of(3_000L, 6_000L), List.of(6_000L, 9_000L));
  }

  /**
   * The objects filter and safe search see a video through its vision event's item-level tags and
   * worst keyframe, as they see an image.
   */
  @Test
  void theVideosKeyframeTagsMatchTheObjectsFilterAndItsWorstKeyframeTheSafeSearch() {
    SearchRequest all = greenScene().setK(10).build();

    assertThat(
            client
                .search(
                    all.toBuilder()
                        .setFilter(SearchFilter.newBuilder().addObjects("Horse"))
                        .build())
                .getHitsList())
        .extracting(SearchHit::getMediaId)
        .containsExactly("scenes.mp4");
    assertThat(
            client
                .search(all.toBuilder().setFilter(SearchFilter.newBuilder().setSafe(true)).build())
                .getHitsList())
        .extracting(SearchHit::getMediaId)
        .containsExactly("yellow.png");
    GetMediaResponse media =
        client.getMedia(
            GetMediaRequest.newBuilder().setTenant(STUDIO).setMediaId("scenes.mp4").build());
    assertThat(media.getAnalysed()).isTrue();
    assertThat(media.getObjectsList())
        .extracting(DetectedObject::getLabel)
        .containsExactly("horse", "person");
    assertThat(media.getUnsafeScore()).isEqualTo(0.7f);
  }

  /**
   * A video's media.vision.v1 event as the generator writes it: a segment per keyframe, each label
   * once at the item level with its best score, and the worst keyframe's safety scores.
   */
  private static MediaVisionEvent keyframeTags() {
    DetectedObject horse = TestVision.object("horse", 0.6f);
    DetectedObject person = TestVision.object("person", 0.4f);
    MediaVisionEvent image = TestVision.event("scenes.mp4", STUDIO, 0.7f, horse, person);
    TimeRange green = TimeRange.newBuilder().setStartMs(3_000).setEndMs(6_000).build();
    return image.toBuilder()
        .setDurationMs(9_000)
        .setUnsafeTime(green)
        .addSegments(
            VisionSegment.newBuilder()
                .setTime(TimeRange.newBuilder().setStartMs(0).setEndMs(3_000))
                .addObjects(person))
        .addSegments(
            VisionSegment.newBuilder()
                .setTime(green)
                .addObjects(horse)
                .addAllSafety(image.getSafetyList())
                .setUnsafeScore(0.7f))
        .addSegments(
            VisionSegment.newBuilder()
                .setTime(TimeRange.newBuilder().setStartMs(6_000).setEndMs(9_000)))
        .build();
  }

  /** A vector search for the video's second scene. */
  private static SearchRequest.Builder greenScene() {
    return SearchRequest.newBuilder()
        .setTenant(STUDIO)
        .setText("something green")
        .setMode(SearchMode.SEARCH_MODE_VECTOR);
  }

  private static org.assertj.core.data.Offset<Float> withinCosine() {
    return org.assertj.core.data.Offset.offset(1e-5f);
  }

  private static Embedding embedding(float[] values) {
    return FakeQueryEncoder.embedding(FakeQueryEncoder.CLIP, values).toBuilder().build();
  }

  private static SegmentEmbedding segment(long start, long end, String colour) {
    SegmentEmbedding.Builder segment =
        SegmentEmbedding.newBuilder()
            .setTime(TimeRange.newBuilder().setStartMs(start).setEndMs(end));
    for (float v : FakeQueryEncoder.colour(colour)) {
      segment.addVector(v);
    }
    return segment.build();
  }

  private static SearchHit hit(SearchResponse response, String mediaId) {
    return response.getHitsList().stream()
        .filter(h -> h.getMediaId().equals(mediaId))
        .findFirst()
        .orElseThrow(() -> new AssertionError(mediaId + " not in " + response.getHitsList()));
  }
}
