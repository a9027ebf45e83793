package multimodal.retrieval.grpc;

import static org.assertj.core.api.Assertions.assertThat;

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
import multimodal.retrieval.Transcript;
import multimodal.retrieval.index.IndexUpdater;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.ModelRef;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.SearchHit;
import multimodal.v1.SearchMode;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;
import multimodal.v1.TimeRange;
import multimodal.v1.TimedText;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transcripts of audio items over gRPC: their text is searchable (BM25 and the sentence vector),
 * and a hit inside a transcript names the segments the query matched with their time ranges.
 */
@QuarkusTest
@QuarkusTestResource(value = TempIndexDirResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = NoConsumerResource.class, restrictToAnnotatedClass = true)
class TranscriptGrpcServiceTest {
  static final String STUDIO = "studio";
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Inject LuceneMediaIndex index;

  @GrpcClient("retrieval")
  RetrievalServiceGrpc.RetrievalServiceBlockingStub client;

  @BeforeEach
  void seed() {
    IndexUpdater updater =
        new IndexUpdater(index, new FakeQueryEncoder(), "minilm", "default", Duration.ofMillis(1));
    List<IndexChange> changes = new ArrayList<>();
    changes.add(new IndexChange.Ingested("talk.wav", STUDIO, "audio/wav", Map.of(), List.of(), T0));
    changes.add(
        new IndexChange.Transcribed(
            "talk.wav",
            STUDIO,
            new Transcript(
                List.of(
                    segment(140, 2_900, "the weather is sunny and warm today"),
                    segment(4_500, 7_100, "my daughter plays the piano every evening"),
                    segment(8_700, 11_300, "she bought fresh bread and cheese at the market")),
                ModelRef.newBuilder()
                    .setName("pocketsphinx-en-us")
                    .setVersion("0.8+5prealpha+1-15")
                    .build(),
                12_000)));
    // An image captioned with one of the words: found too, but without segments.
    changes.add(
        new IndexChange.Ingested("photo.png", STUDIO, "image/png", Map.of(), List.of(), T0));
    changes.add(
        new IndexChange.Embedded(
            new MediaEmbedding(
                "photo.png",
                STUDIO,
                "image/png",
                Map.of(),
                List.of(),
                T0,
                T0,
                FakeQueryEncoder.CLIP,
                new float[] {0.5f, 0.5f, 0.5f, 0.5f},
                true)));
    changes.add(
        new IndexChange.Captioned(
            "photo.png", STUDIO, "a piano in a hall", "vit-gpt2@fixture-1", "", "", T0, true));
    updater.apply(changes.stream().map(c -> new IndexUpdater.Record(c, null)).toList(), () -> true);
  }

  @Test
  void aTextSearchFindsTheRecordingWithTheTimeRangeOfTheMatchingSentence() {
    SearchRequest query =
        SearchRequest.newBuilder()
            .setTenant(STUDIO)
            .setText("piano evening")
            .setMode(SearchMode.SEARCH_MODE_TEXT)
            .build();

    SearchResponse response = client.search(query);

    // Both match "piano" (the fake sentence encoder decides the order between them).
    assertThat(response.getHitsList())
        .extracting(SearchHit::getMediaId)
        .containsExactlyInAnyOrder("talk.wav", "photo.png");
    SearchHit talk = hit(response, "talk.wav");
    assertThat(talk.getContentType()).isEqualTo("audio/wav");
    assertThat(talk.getSegmentsList()).hasSize(1);
    TimedText segment = talk.getSegments(0);
    assertThat(segment.getTime().getStartMs()).isEqualTo(4_500);
    assertThat(segment.getTime().getEndMs()).isEqualTo(7_100);
    assertThat(segment.getText()).isEqualTo("my daughter plays the piano every evening");
    assertThat(segment.getScore()).isEqualTo(1f);
    assertThat(hit(response, "photo.png").getSegmentsList()).isEmpty();
  }

  @Test
  void segmentsAreRankedByTheShareOfQueryTermsTheyHold() {
    SearchResponse response =
        client.search(
            SearchRequest.newBuilder()
                .setTenant(STUDIO)
                .setText("warm bread at the market")
                .build());

    SearchHit talk = hit(response, "talk.wav");
    // "bread", "at", "the", "market" (4 of 5 terms) in the third; "warm", "the" in the first.
    assertThat(talk.getSegmentsList())
        .extracting(s -> s.getTime().getStartMs())
        .containsExactly(8_700L, 140L, 4_500L);
    assertThat(talk.getSegments(0).getScore()).isEqualTo(0.8f);
  }

  @Test
  void getMediaShowsTheTranscript() {
    GetMediaResponse media =
        client.getMedia(
            GetMediaRequest.newBuilder().setTenant(STUDIO).setMediaId("talk.wav").build());

    assertThat(media.getTranscriptList()).hasSize(3);
    assertThat(media.getTranscript(1).getTime().getStartMs()).isEqualTo(4_500);
    assertThat(media.getRecognizer().getName()).isEqualTo("pocketsphinx-en-us");
    assertThat(media.getDurationMs()).isEqualTo(12_000);
  }

  private static SearchHit hit(SearchResponse response, String mediaId) {
    return response.getHitsList().stream()
        .filter(h -> h.getMediaId().equals(mediaId))
        .findFirst()
        .orElseThrow(() -> new AssertionError(mediaId + " is not among the hits"));
  }

  private static TimedText segment(long startMs, long endMs, String text) {
    return TimedText.newBuilder()
        .setTime(TimeRange.newBuilder().setStartMs(startMs).setEndMs(endMs))
        .setText(text)
        .build();
  }
}
