package multimodal.retrieval.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import multimodal.retrieval.index.IndexUpdater;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.retrieval.messaging.InvalidEventException;
import multimodal.retrieval.messaging.RecordDecoder;
import multimodal.v1.CaptionSegment;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.MediaCaptionEvent;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.SearchHit;
import multimodal.v1.SearchMode;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;
import multimodal.v1.TimeRange;
import multimodal.v1.TimedText;
import multimodal.v1.Topics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Captions and OCR text of a video's keyframes (media.caption.v1 segments), decoded from the event
 * as the materialiser decodes it: a text search on a keyframe's caption or OCR text finds the video
 * with that keyframe's time range, and GetMedia lists the keyframes' captions.
 */
@QuarkusTest
@QuarkusTestResource(value = TempIndexDirResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = NoConsumerResource.class, restrictToAnnotatedClass = true)
class KeyframeCaptionGrpcServiceTest {
  static final String STUDIO = "studio";
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Inject LuceneMediaIndex index;

  @GrpcClient("retrieval")
  RetrievalServiceGrpc.RetrievalServiceBlockingStub client;

  private final RecordDecoder decoder = new RecordDecoder("default");

  @BeforeEach
  void seed() {
    MediaCaptionEvent video =
        MediaCaptionEvent.newBuilder()
            .setMediaId("film.mp4")
            .setTenant(STUDIO)
            .setCaption("a red square\na black square\na blue circle")
            .setOcrText("OPEN 24 HOURS")
            .setCaptionModelName("caption")
            .setCaptionModelVersion("fixture-caption-1")
            .setOcrEngine("tesseract 5.3.0")
            .setDurationMs(6_000)
            .addSegments(segment(0, 2_000, "a red square", ""))
            .addSegments(segment(2_000, 4_000, "a black square", "OPEN 24 HOURS"))
            .addSegments(segment(4_000, 6_000, "a blue circle", ""))
            .build();
    MediaCaptionEvent image =
        MediaCaptionEvent.newBuilder()
            .setMediaId("photo.png")
            .setTenant(STUDIO)
            .setCaption("a blue circle")
            .build();
    IndexUpdater updater =
        new IndexUpdater(index, new FakeQueryEncoder(), "minilm", "default", Duration.ofMillis(1));
    List<IndexChange> changes =
        List.of(
            new IndexChange.Ingested("film.mp4", STUDIO, "video/mp4", Map.of(), List.of(), T0),
            decoder.decode(Topics.MEDIA_CAPTION, "film.mp4", video.toByteArray(), Map.of()),
            new IndexChange.Ingested("photo.png", STUDIO, "image/png", Map.of(), List.of(), T0),
            decoder.decode(Topics.MEDIA_CAPTION, "photo.png", image.toByteArray(), Map.of()));
    updater.apply(changes.stream().map(c -> new IndexUpdater.Record(c, null)).toList(), () -> true);
  }

  @Test
  void aSearchForAKeyframesOcrTextNamesThatKeyframesTimeRange() {
    SearchResponse response = client.search(text("open hours"));

    assertThat(response.getHitsList()).extracting(SearchHit::getMediaId).contains("film.mp4");
    SearchHit film = hit(response, "film.mp4");
    assertThat(film.getSegmentsList()).hasSize(1);
    TimedText segment = film.getSegments(0);
    assertThat(segment.getTime().getStartMs()).isEqualTo(2_000);
    assertThat(segment.getTime().getEndMs()).isEqualTo(4_000);
    assertThat(segment.getText()).isEqualTo("a black square\nOPEN 24 HOURS");
    assertThat(segment.getScore()).isEqualTo(1f);
  }

  @Test
  void aSearchForAKeyframesCaptionNamesThatKeyframeBestFirstAndImagesGetNoSegments() {
    SearchResponse response = client.search(text("blue circle"));

    assertThat(response.getHitsList())
        .extracting(SearchHit::getMediaId)
        .containsExactlyInAnyOrder("film.mp4", "photo.png");
    // "blue circle" (2 of 2 terms) in the last keyframe; none of the others holds either word.
    assertThat(hit(response, "film.mp4").getSegmentsList())
        .extracting(s -> List.of(s.getTime().getStartMs(), s.getTime().getEndMs()))
        .containsExactly(List.of(4_000L, 6_000L));
    assertThat(hit(response, "photo.png").getSegmentsList()).isEmpty();

    // "square" is in two keyframes: both, earlier first on equal scores.
    assertThat(hit(client.search(text("square")), "film.mp4").getSegmentsList())
        .extracting(s -> s.getTime().getStartMs())
        .containsExactly(0L, 2_000L);
  }

  @Test
  void getMediaListsTheKeyframesCaptions() {
    GetMediaResponse media =
        client.getMedia(
            GetMediaRequest.newBuilder().setTenant(STUDIO).setMediaId("film.mp4").build());

    assertThat(media.getCaption()).isEqualTo("a red square\na black square\na blue circle");
    assertThat(media.getKeyframeCaptionsList())
        .extracting(CaptionSegment::getCaption)
        .containsExactly("a red square", "a black square", "a blue circle");
    assertThat(media.getKeyframeCaptions(1).getOcrText()).isEqualTo("OPEN 24 HOURS");
    assertThat(media.getKeyframeCaptions(1).getTime().getStartMs()).isEqualTo(2_000);
    assertThat(
            client
                .getMedia(
                    GetMediaRequest.newBuilder().setTenant(STUDIO).setMediaId("photo.png").build())
                .getKeyframeCaptionsList())
        .isEmpty();
  }

  @Test
  void refusesAKeyframeWhoseTimeRangeEndsBeforeItStarts() {
    MediaCaptionEvent backwards =
        MediaCaptionEvent.newBuilder()
            .setMediaId("bad.mp4")
            .addSegments(segment(3_000, 1_000, "a red square", ""))
            .build();

    assertThatThrownBy(
            () ->
                decoder.decode(Topics.MEDIA_CAPTION, "bad.mp4", backwards.toByteArray(), Map.of()))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("3000..1000 ms is not a range");
  }

  private static SearchRequest text(String query) {
    return SearchRequest.newBuilder()
        .setTenant(STUDIO)
        .setText(query)
        .setMode(SearchMode.SEARCH_MODE_TEXT)
        .build();
  }

  private static SearchHit hit(SearchResponse response, String mediaId) {
    return response.getHitsList().stream()
        .filter(h -> h.getMediaId().equals(mediaId))
        .findFirst()
        .orElseThrow(() -> new AssertionError(mediaId + " is not among the hits"));
  }

  private static CaptionSegment segment(long startMs, long endMs, String caption, String ocr) {
    return CaptionSegment.newBuilder()
        .setTime(TimeRange.newBuilder().setStartMs(startMs).setEndMs(endMs))
        .setCaption(caption)
        .setOcrText(ocr)
        .build();
  }
}
