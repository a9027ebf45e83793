package multimodal.retrieval.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.MediaInfo;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.ScoredMedia;
import multimodal.retrieval.SourceOffset;
import multimodal.retrieval.VectorQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneMediaIndexTest {
  static final ModelVersion V1 = new ModelVersion("clip", "v1");
  static final ModelVersion V2 = new ModelVersion("clip", "v2");
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;
  LuceneMediaIndex index;

  @BeforeEach
  void open() throws IOException {
    index = LuceneMediaIndex.open(dir);
  }

  @AfterEach
  void close() throws IOException {
    index.close();
  }

  @Test
  void upsertIsIdempotentOnRedelivery() {
    MediaEmbedding red = embedding("red", "acme", V1, T0, 1, 0, 0);

    index.upsert(red, new SourceOffset("media.embedding.v1", 0, 7));
    index.upsert(red, new SourceOffset("media.embedding.v1", 0, 7));

    assertThat(index.documentCount()).isEqualTo(1);
    assertThat(ids(index.search(query("acme", V1, 10, 1, 0, 0)))).containsExactly("red");
    assertThat(index.appliedOffsets()).containsEntry("media.embedding.v1:0", 8L);
  }

  @Test
  void ranksHitsByCosineAndReportsCosineScores() {
    index.upsert(embedding("red", "acme", V1, T0, 1, 0, 0), null);
    index.upsert(embedding("orange", "acme", V1, T0, 1, 1, 0), null);
    index.upsert(embedding("cyan", "acme", V1, T0, 0, 1, 1), null);
    index.upsert(embedding("anti-red", "acme", V1, T0, -1, 0, 0), null);

    // Unnormalised query: the index normalises it.
    List<ScoredMedia> hits = index.search(query("acme", V1, 10, 5, 0, 0));

    assertThat(ids(hits)).containsExactly("red", "orange", "cyan", "anti-red");
    assertThat(hits.get(0).score()).isCloseTo(1f, within(1e-5f));
    assertThat(hits.get(1).score()).isCloseTo((float) Math.sqrt(0.5), within(1e-5f));
    assertThat(hits.get(2).score()).isCloseTo(0f, within(1e-5f));
    assertThat(hits.get(3).score()).isCloseTo(-1f, within(1e-5f));
    assertThat(hits.get(0).metadata()).containsEntry("name", "red");
    assertThat(hits.get(0).contentType()).isEqualTo("image/png");
  }

  @Test
  void honoursKAndMinScore() {
    index.upsert(embedding("red", "acme", V1, T0, 1, 0, 0), null);
    index.upsert(embedding("orange", "acme", V1, T0, 1, 1, 0), null);
    index.upsert(embedding("cyan", "acme", V1, T0, 0, 1, 1), null);

    assertThat(ids(index.search(query("acme", V1, 1, 1, 0, 0)))).containsExactly("red");
    assertThat(ids(index.search(new VectorQuery("acme", V1, new float[] {1, 0, 0}, 10, 0.5f))))
        .containsExactly("red", "orange");
  }

  @Test
  void searchesOnlyTheQueryTenant() {
    index.upsert(embedding("mine", "acme", V1, T0, 1, 0, 0), null);
    index.upsert(embedding("theirs", "globex", V1, T0, 1, 0, 0), null);

    assertThat(ids(index.search(query("acme", V1, 10, 1, 0, 0)))).containsExactly("mine");
    assertThat(ids(index.search(query("initech", V1, 10, 1, 0, 0)))).isEmpty();
  }

  @Test
  void deleteRemovesEveryModelVersionOfTheMedia() {
    index.upsert(embedding("red", "acme", V1, T0, 1, 0, 0), null);
    index.upsert(embedding("red", "acme", V2, T0, 1, 0, 0, 0), null);
    index.upsert(embedding("blue", "acme", V1, T0, 0, 0, 1), null);

    index.deleteMedia("red", new SourceOffset("media.ingest.v1", 2, 40));

    assertThat(index.media("red")).isEmpty();
    assertThat(ids(index.search(query("acme", V1, 10, 1, 0, 0)))).containsExactly("blue");
    assertThat(index.search(query("acme", V2, 10, 1, 0, 0, 0))).isEmpty();
    assertThat(index.appliedOffsets()).containsEntry("media.ingest.v1:2", 41L);
  }

  @Test
  void reopeningKeepsDocumentsModelsAndOffsets() throws IOException {
    index.upsert(embedding("red", "acme", V1, T0, 1, 0, 0), new SourceOffset("media.embedding.v1", 3, 99));
    index.upsert(embedding("red", "acme", V2, T0.plusSeconds(60), 0, 1, 0, 0), null);
    index.close();

    index = LuceneMediaIndex.open(dir);

    assertThat(ids(index.search(query("acme", V1, 10, 1, 0, 0)))).containsExactly("red");
    assertThat(index.newestVersion("clip")).contains(V2);
    assertThat(index.dimension(V2)).hasValue(4);
    assertThat(index.appliedOffsets()).containsEntry("media.embedding.v1:3", 100L);
  }

  @Test
  void keepsModelVersionsSideBySide() {
    index.upsert(embedding("red", "acme", V1, T0, 1, 0, 0), null);
    index.upsert(embedding("red", "acme", V2, T0.plusSeconds(60), 0, 0, 0, 1), null);
    index.upsert(embedding("blue", "acme", V2, T0.plusSeconds(61), 0, 0, 1, 0), null);
    // A late re-embedding with the old version does not make it the newest again.
    index.upsert(embedding("blue", "acme", V1, T0.plusSeconds(120), 0, 0, 1), null);

    assertThat(index.newestVersion("clip")).contains(V2);
    assertThat(ids(index.search(query("acme", V1, 10, 1, 0, 0)))).containsExactly("red", "blue");
    assertThat(ids(index.search(query("acme", V2, 10, 0, 0, 0, 1)))).containsExactly("red", "blue");
    assertThat(index.storedVector("red", V2).orElseThrow().vector()).containsExactly(0, 0, 0, 1);

    MediaInfo red = index.media("red").orElseThrow();
    assertThat(red.embeddings())
        .extracting(MediaInfo.Embedded::model, MediaInfo.Embedded::dimension)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(V2, 4), org.assertj.core.groups.Tuple.tuple(V1, 3));
    assertThat(red.metadata()).containsEntry("name", "red");
    assertThat(red.tenant()).isEqualTo("acme");
  }

  @Test
  void rejectsADimensionChangeAndZeroVectors() {
    index.upsert(embedding("red", "acme", V1, T0, 1, 0, 0), null);

    assertThatThrownBy(() -> index.upsert(embedding("blue", "acme", V1, T0, 0, 0, 1, 0), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 3");
    assertThatThrownBy(() -> index.upsert(embedding("none", "acme", V1, T0, 0, 0, 0), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(index.documentCount()).isEqualTo(1);
  }

  static MediaEmbedding embedding(String id, String tenant, ModelVersion model, Instant at, float... v) {
    return new MediaEmbedding(
        id, tenant, "image/png", Map.of("name", id), List.of("colour"), at.minusSeconds(1), at, model, v);
  }

  static VectorQuery query(String tenant, ModelVersion model, int k, float... v) {
    return new VectorQuery(tenant, model, v, k, Float.NEGATIVE_INFINITY);
  }

  static List<String> ids(List<ScoredMedia> hits) {
    return hits.stream().map(ScoredMedia::mediaId).toList();
  }
}
