package multimodal.encoder.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import multimodal.encoder.Embedding;
import multimodal.v1.MediaEmbeddingEvent;
import multimodal.v1.ingest.IngestEvent;
import org.junit.jupiter.api.Test;

class EmbeddingEventsTest {
  private static final IngestEvent SOURCE =
      new IngestEvent(
          "event-1",
          "/test",
          Instant.parse("2026-01-02T03:04:05Z"),
          "media-1",
          "acme",
          "image/png",
          null,
          new byte[] {1},
          Map.of(),
          List.of());
  private static final Embedding EMBEDDING = new Embedding("clip", "v1", new float[] {0.6f, 0.8f});

  @Test
  void anEmbeddingOfAFixtureModelIsMarkedAsSuch() {
    MediaEmbeddingEvent event = EmbeddingEvents.of(SOURCE, EMBEDDING, true, Instant.EPOCH, 1, 2);

    assertThat(event.getModelFixture()).isTrue();
    assertThat(event.getEmbedding().getModelName()).isEqualTo("clip");
  }

  @Test
  void anEmbeddingOfRealWeightsIsNotMarked() {
    MediaEmbeddingEvent event = EmbeddingEvents.of(SOURCE, EMBEDDING, false, Instant.EPOCH, 1, 2);

    assertThat(event.getModelFixture()).isFalse();
    assertThat(event.getMediaId()).isEqualTo("media-1");
  }
}
