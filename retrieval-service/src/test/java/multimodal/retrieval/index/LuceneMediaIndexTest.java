package multimodal.retrieval.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import multimodal.retrieval.FakeQueryEncoder;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.ItemKey;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.SourceOffset;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index and the batch updater, without Kafka or Quarkus. */
class LuceneMediaIndexTest {
  static final ModelVersion V1 = new ModelVersion("clip", "v1");
  static final ModelVersion V2 = new ModelVersion("clip", "v2");
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String ALL = "acme";

  @TempDir Path dir;
  LuceneMediaIndex index;
  FakeQueryEncoder encoder = new FakeQueryEncoder();
  IndexUpdater updater;
  long offset;

  @BeforeEach
  void open() throws IOException {
    index = LuceneMediaIndex.open(dir);
    updater = new IndexUpdater(index, encoder, "minilm", "default", Duration.ofMillis(1));
  }

  @AfterEach
  void close() throws IOException {
    index.close();
  }

  @Test
  void redeliveryIsIdempotentAndOffsetsAdvance() {
    IndexChange red = embedded("red", V1, T0, 1, 0, 0);
    apply(red);
    updater.apply(
        List.of(new IndexUpdater.Record(red, new SourceOffset("media.embedding.v1", 0, 0))),
        () -> true);

    assertThat(index.documentCount()).isEqualTo(1);
    assertThat(ids(knn(V1, 1, 0, 0))).containsExactly("red");
    assertThat(index.appliedOffsets()).containsEntry("media.embedding.v1:0", 1L);
  }

  @Test
  void foldsIngestCaptionAndEmbeddingsIntoOneDocumentWithTextVector() {
    apply(
        new IndexChange.Ingested(
            "m1", ALL, "image/png", Map.of("title", "harbour at dusk"), List.of("sea"), T0),
        embedded("m1", V1, T0, 1, 0, 0),
        embedded("m1", V2, T0.plusSeconds(60), 0, 1, 0),
        new IndexChange.Captioned(
            "m1", ALL, "boats in a harbour", "blip@1", "PORT AUTHORITY", "tesseract", T0));

    MediaItem item = index.item(ALL, "m1").orElseThrow();
    assertThat(index.documentCount()).isEqualTo(1);
    assertThat(item.imageVectors()).containsOnlyKeys(V1, V2);
    assertThat(item.tags()).containsExactly("sea");
    assertThat(item.metadata()).containsEntry("title", "harbour at dusk");
    assertThat(item.caption()).isEqualTo("boats in a harbour");
    assertThat(item.ocrText()).isEqualTo("PORT AUTHORITY");
    assertThat(item.textVector().model()).isEqualTo(FakeQueryEncoder.MINILM);
    assertThat(index.newestImageModel("clip")).contains(V2);
    // BM25 finds it by caption, OCR and metadata words.
    assertThat(ids(index.bm25("boats", 10, filter()))).containsExactly("m1");
    assertThat(ids(index.bm25("authority", 10, filter()))).containsExactly("m1");
    assertThat(ids(index.bm25("dusk", 10, filter()))).containsExactly("m1");
    assertThat(index.bm25("dusk", 10, SearchFilters.of("other", List.of(), null, null, List.of())))
        .isEmpty();
  }

  @Test
  void anEmbeddingEventDoesNotOverwriteIngestMetadata() {
    apply(
        new IndexChange.Ingested(
            "m1", ALL, "image/png", Map.of("title", "from ingest"), List.of("a"), T0));
    apply(embedded("m1", V1, T0, 1, 0, 0)); // carries metadata {title=from embedding}

    assertThat(index.item(ALL, "m1").orElseThrow().metadata())
        .containsEntry("title", "from ingest");
  }

  @Test
  void ranksByCosineAndFiltersByTagsTimeAndContentType() {
    apply(
        new IndexChange.Ingested("red", ALL, "image/png", Map.of(), List.of("warm", "a"), T0),
        new IndexChange.Ingested(
            "orange", ALL, "image/jpeg", Map.of(), List.of("warm"), T0.plusSeconds(10)),
        embedded("red", V1, T0, 1, 0, 0),
        embedded("orange", V1, T0, 1, 1, 0),
        embedded("cyan", V1, T0, 0, 1, 1));

    List<LuceneMediaIndex.Scored> all = knn(V1, 2, 0, 0); // unnormalised query
    assertThat(ids(all)).containsExactly("red", "orange", "cyan");
    assertThat(all.get(0).score()).isCloseTo(1f, within(1e-5f));
    assertThat(all.get(1).score()).isCloseTo((float) Math.sqrt(0.5), within(1e-5f));
    assertThat(ids(knn(V1, SearchFilters.of(ALL, List.of("warm"), null, null, List.of()), 1, 0, 0)))
        .containsExactly("red", "orange");
    assertThat(
            ids(
                knn(
                    V1,
                    SearchFilters.of(ALL, List.of("warm", "a"), null, null, List.of()),
                    1,
                    0,
                    0)))
        .containsExactly("red");
    assertThat(
            ids(
                knn(
                    V1,
                    SearchFilters.of(ALL, List.of(), T0.plusSeconds(1), null, List.of()),
                    1,
                    0,
                    0)))
        .containsExactly("orange");
    assertThat(
            ids(
                knn(
                    V1,
                    SearchFilters.of(ALL, List.of(), null, T0.plusSeconds(1), List.of()),
                    1,
                    0,
                    0)))
        .containsExactly("red");
    assertThat(
            ids(
                knn(
                    V1,
                    SearchFilters.of(ALL, List.of(), null, null, List.of("image/jpeg")),
                    1,
                    0,
                    0)))
        .containsExactly("orange");
  }

  @Test
  void forceMergeLeavesOneCommittedSegmentWithTheSameResults() throws IOException {
    apply(embedded("red", V1, T0, 1, 0, 0)); // each batch is its own commit, so its own segment
    apply(embedded("orange", V1, T0, 1, 1, 0));
    apply(embedded("cyan", V1, T0, 0, 1, 1));
    assertThat(index.segmentCount()).isGreaterThan(1);

    index.forceMerge(1);

    assertThat(index.segmentCount()).isEqualTo(1);
    assertThat(ids(knn(V1, 1, 0, 0))).containsExactly("red", "orange", "cyan");
    index.close();
    index = LuceneMediaIndex.open(dir);
    assertThat(index.segmentCount()).isEqualTo(1);
    assertThat(ids(knn(V1, 1, 0, 0))).containsExactly("red", "orange", "cyan");
  }

  @Test
  void int8SearchRescoresItsCandidatesWithTheFloatVectors() throws IOException {
    index.close();
    index =
        LuceneMediaIndex.open(
            dir.resolve("int8"), new LuceneMediaIndex.Settings(16, 100, true, 16));
    updater = new IndexUpdater(index, encoder, "minilm", "default", Duration.ofMillis(1));
    Random random = new Random(11);
    Map<String, float[]> vectors = new LinkedHashMap<>();
    for (int batch = 0; batch < 2; batch++) { // two segments
      List<IndexChange> changes = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        String id = "m" + vectors.size();
        float[] v = Vectors.normalized(randomVector(random));
        vectors.put(id, v);
        changes.add(embedded(id, V1, T0, v));
      }
      apply(changes.toArray(IndexChange[]::new));
    }

    for (int q = 0; q < 20; q++) {
      float[] query = Vectors.normalized(randomVector(random));
      // ef = every item: the graph offers every candidate, so the top 10 must be the exact one
      List<LuceneMediaIndex.Scored> hits =
          index.knn(
              IndexFields.vectorField(V1),
              query,
              10,
              vectors.size(),
              filter(),
              Float.NEGATIVE_INFINITY);
      List<Map.Entry<String, Float>> exact =
          vectors.entrySet().stream()
              .map(e -> Map.entry(e.getKey(), VectorUtil.dotProduct(query, e.getValue())))
              .sorted(Map.Entry.<String, Float>comparingByValue().reversed())
              .limit(10)
              .toList();
      assertThat(ids(hits)).isEqualTo(exact.stream().map(Map.Entry::getKey).toList());
      for (int i = 0; i < 10; i++) {
        assertThat(hits.get(i).score())
            .isCloseTo(exact.get(i).getValue(), within(1e-5f)); // int8 codes are ~1e-2 off
      }
    }
  }

  @Test
  void writesCommitsAndSearchesGoOnWhileAForceMergeRuns() throws Exception {
    HeldMergeScheduler merges = reopenWithHeldMerges();
    List<String> ids = seedSegments(8, 400);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    merges.hold();
    Thread merge = forceMergeInBackground(failed);
    assertThat(merges.awaitMergeStarted(30)).as("the force-merge started").isTrue();

    // The merge is held on its thread until released: had it kept the index lock, the first of
    // these would never finish.
    for (int i = 0; i < 5; i++) {
      apply(embedded("during-" + i, V1, T0, randomVector(new Random(i))));
      index.commit();
      assertThat(index.item(ALL, "during-" + i)).isPresent();
      assertThat(index.forceMerging()).isTrue();
      ids.add("during-" + i);
    }
    merges.release();

    merge.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(merge.isAlive()).isFalse();
    assertThat(failed.get()).isNull();
    assertThat(index.forceMerging()).isFalse();
    assertThat(index.items(ALL, ids).size()).isEqualTo(ids.size());
    index.close();
    index = LuceneMediaIndex.open(dir);
    assertThat(index.items(ALL, ids).size())
        .as("merged segments and the writes made meanwhile are committed")
        .isEqualTo(ids.size());
    assertThat(index.appliedOffsets()).containsEntry("media.embedding.v1:0", offset);
  }

  @Test
  void closingDuringAForceMergeAbortsItAndKeepsEveryWriteCommitted() throws Exception {
    HeldMergeScheduler merges = reopenWithHeldMerges();
    List<String> ids = seedSegments(8, 400);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    merges.hold(); // never released: only the close's abort ends it
    Thread merge = forceMergeInBackground(failed);
    assertThat(merges.awaitMergeStarted(30)).as("the force-merge started").isTrue();
    apply(
        embedded(
            "late", V1, T0, randomVector(new Random(1)))); // not committed yet: close commits it

    long start = System.nanoTime();
    index.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(LuceneMediaIndex.ABORT_WAIT.plusSeconds(5));
    merge.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(merge.isAlive()).isFalse();
    assertThat(failed.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    index = LuceneMediaIndex.open(dir);
    ids.add("late");
    assertThat(index.items(ALL, ids).size()).isEqualTo(ids.size());
    assertThat(index.appliedOffsets()).containsEntry("media.embedding.v1:0", offset);
  }

  /** Reopens the test's index with merges that a test can hold; returns their scheduler. */
  private HeldMergeScheduler reopenWithHeldMerges() throws IOException {
    index.close();
    HeldMergeScheduler merges = new HeldMergeScheduler();
    index =
        LuceneMediaIndex.open(
            dir,
            IndexWriterConfigs.of(LuceneMediaIndex.Settings.DEFAULT).setMergeScheduler(merges),
            LuceneMediaIndex.Settings.DEFAULT_TOMBSTONE_RETENTION);
    updater = new IndexUpdater(index, encoder, "minilm", "default", Duration.ofMillis(1));
    return merges;
  }

  /** {@code segments} batches of random 64-dim vectors, each batch its own segment; their ids. */
  private List<String> seedSegments(int segments, int perSegment) {
    Random random = new Random(7);
    List<String> ids = new ArrayList<>();
    for (int s = 0; s < segments; s++) {
      List<IndexChange> batch = new ArrayList<>();
      for (int i = 0; i < perSegment; i++) {
        String id = "seg" + s + "-" + i;
        batch.add(
            new IndexChange.Embedded(
                new MediaEmbedding(
                    id,
                    ALL,
                    "image/png",
                    Map.of(),
                    List.of(),
                    null,
                    T0,
                    V1,
                    randomVector(random))));
        ids.add(id);
      }
      apply(batch.toArray(IndexChange[]::new));
    }
    assertThat(index.segmentCount()).isGreaterThan(1);
    return ids;
  }

  private static float[] randomVector(Random random) {
    float[] v = new float[64];
    for (int d = 0; d < v.length; d++) {
      v[d] = (float) random.nextGaussian();
    }
    return v;
  }

  /** Starts {@code forceMerge(1)} on a thread and returns once it runs (or already ended). */
  private Thread forceMergeInBackground(AtomicReference<Throwable> failed) {
    Thread merge =
        new Thread(
            () -> {
              try {
                index.forceMerge(1);
              } catch (RuntimeException e) {
                failed.set(e);
              }
            });
    merge.start();
    return merge;
  }

  @Test
  void tombstoneWinsOverLateEventsUntilTheItemIsIngestedAgain() {
    apply(embedded("a", V1, T0, 1, 0, 0), embedded("b", V1, T0, 0, 1, 0));
    apply(new IndexChange.Deleted("a", ALL), new IndexChange.Deleted("b", ALL));
    // Late events of the deleted items (other topics are not ordered with the tombstone).
    apply(
        embedded("a", V1, T0, 1, 0, 0),
        new IndexChange.Captioned("a", ALL, "late", "", "", "", T0));
    apply(
        new IndexChange.Ingested("b", ALL, "image/png", Map.of(), List.of(), T0),
        embedded("b", V2, T0, 0, 0, 1));

    assertThat(index.item(ALL, "a")).isEmpty();
    assertThat(index.bm25("late", 10, filter())).isEmpty();
    assertThat(ids(knn(V1, 1, 0, 0))).isEmpty();
    assertThat(index.item(ALL, "b").orElseThrow().imageVectors()).containsOnlyKeys(V2);
  }

  @Test
  void purgesTombstonesOlderThanTheRetentionAtCommit() throws IOException {
    Instant now = Instant.now();
    Instant recentlyDeleted = now.minus(Duration.ofDays(6));
    apply(embedded("old", V1, T0, 1, 0, 0), embedded("recent", V1, T0, 0, 1, 0));
    apply(
        new IndexChange.Deleted("old", ALL, now.minus(Duration.ofDays(8))),
        new IndexChange.Deleted("recent", ALL, recentlyDeleted));
    assertThat(index.itemsAndTombstones(List.of(keys("old", "recent"))))
        .containsOnlyKeys(keys("old", "recent"));

    index.commit(); // retention: the default 7 days
    index.close();
    index = LuceneMediaIndex.open(dir);

    assertThat(index.itemsAndTombstones(List.of(keys("old", "recent"))))
        .containsOnlyKeys(keys("recent"));
    assertThat(
            index
                .itemsAndTombstones(List.of(keys("recent")))
                .get(new ItemKey(ALL, "recent"))
                .deletedAt())
        .isEqualTo(recentlyDeleted.truncatedTo(ChronoUnit.MICROS));
    // The kept tombstone still drops a late event; the purged one no longer protects its item.
    updater = new IndexUpdater(index, encoder, "minilm", "default", Duration.ofMillis(1));
    apply(embedded("recent", V1, T0, 0, 1, 0), embedded("old", V1, T0, 1, 0, 0));
    assertThat(index.item(ALL, "recent")).isEmpty();
    assertThat(index.item(ALL, "old")).isPresent();
  }

  @Test
  void keepsTombstonesForeverWithoutRetention() throws IOException {
    index.close();
    index = LuceneMediaIndex.open(dir, new LuceneMediaIndex.Settings(16, 100, false, 16, null));
    updater = new IndexUpdater(index, encoder, "minilm", "default", Duration.ofMillis(1));
    apply(new IndexChange.Deleted("ancient", ALL, Instant.parse("2000-01-01T00:00:00Z")));

    index.commit();

    assertThat(index.itemsAndTombstones(List.of(keys("ancient"))))
        .containsOnlyKeys(keys("ancient"));
    assertThat(index.tombstonesPurged()).isZero();
  }

  @Test
  void reopeningKeepsDocumentsModelsAndOffsetsButAbandonLosesUncommittedWrites()
      throws IOException {
    apply(embedded("a", V1, T0, 1, 0, 0));
    index.commit();
    apply(embedded("b", V2, T0.plusSeconds(5), 0, 1, 0));
    index.abandon(); // a crash: "b" was never committed

    index = LuceneMediaIndex.open(dir);
    assertThat(index.item(ALL, "a")).isPresent();
    assertThat(index.item(ALL, "b")).isEmpty();
    assertThat(index.newestImageModel("clip")).contains(V1);
    assertThat(index.appliedOffsets()).containsEntry("media.embedding.v1:0", 1L);
  }

  @Test
  void rejectsADimensionChangeAndZeroVectorsButAppliesTheRest() {
    apply(embedded("a", V1, T0, 1, 0, 0));
    List<IndexUpdater.Rejection> rejected =
        apply(
            embedded("b", V1, T0, 1, 0),
            embedded("c", V1, T0, 0, 0, 0),
            embedded("d", V1, T0, 0, 0, 1));

    assertThat(rejected)
        .extracting(IndexUpdater.Rejection::reason)
        .containsExactly(
            "model clip@v1 has dimension 3 in the index, got 2", "vector is empty or all zeros");
    assertThat(index.item(ALL, "d")).isPresent();
    assertThat(index.appliedOffsets()).containsEntry("media.embedding.v1:0", offset);
  }

  @Test
  void retriesAnUnavailableEncoderInsteadOfDroppingTextVectors() {
    encoder.failures.set(3);
    apply(new IndexChange.Captioned("m", ALL, "a red boat", "", "", "", T0));

    assertThat(index.item(ALL, "m").orElseThrow().textVector()).isNotNull();
    assertThat(encoder.textCalls.get()).isEqualTo(4);
  }

  private List<IndexUpdater.Rejection> apply(IndexChange... changes) {
    List<IndexUpdater.Record> batch =
        java.util.Arrays.stream(changes)
            .map(
                c ->
                    new IndexUpdater.Record(c, new SourceOffset("media.embedding.v1", 0, offset++)))
            .toList();
    return updater.apply(batch, () -> true);
  }

  private static IndexChange embedded(String id, ModelVersion model, Instant at, float... v) {
    return new IndexChange.Embedded(
        new MediaEmbedding(
            id,
            ALL,
            "image/png",
            Map.of("title", "from embedding"),
            List.of(),
            null,
            at,
            model,
            v));
  }

  private static org.apache.lucene.search.Query filter() {
    return SearchFilters.of(ALL, List.of(), null, null, List.of());
  }

  private List<LuceneMediaIndex.Scored> knn(ModelVersion model, float... q) {
    return knn(model, filter(), q);
  }

  private List<LuceneMediaIndex.Scored> knn(
      ModelVersion model, org.apache.lucene.search.Query filter, float... q) {
    return index.knn(
        IndexFields.vectorField(model),
        Vectors.normalized(q),
        10,
        100,
        filter,
        Float.NEGATIVE_INFINITY);
  }

  private static List<String> ids(List<LuceneMediaIndex.Scored> hits) {
    return hits.stream().map(LuceneMediaIndex.Scored::mediaId).toList();
  }

  private static ItemKey[] keys(String... ids) {
    return java.util.Arrays.stream(ids).map(id -> new ItemKey(ALL, id)).toArray(ItemKey[]::new);
  }
}
