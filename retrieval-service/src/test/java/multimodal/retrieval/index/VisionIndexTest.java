package multimodal.retrieval.index;

import static multimodal.retrieval.TestVision.analysed;
import static multimodal.retrieval.TestVision.object;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import multimodal.retrieval.FakeQueryEncoder;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.SourceOffset;
import multimodal.retrieval.TestVision;
import multimodal.retrieval.Vision;
import org.apache.lucene.search.Query;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detected objects and safety scores (media.vision.v1) in the index, without Kafka or Quarkus. */
class VisionIndexTest {
  static final ModelVersion CLIP = new ModelVersion("clip", "v1");
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String TENANT = "acme";
  static final float NOT_SCORED = Float.NaN;

  @TempDir Path dir;
  LuceneMediaIndex index;
  final FakeQueryEncoder encoder = new FakeQueryEncoder();
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
  void aLabelFindsTheTaggedItemFirstByBm25AndByTheSentenceVector() {
    apply(
        captioned("horse", "a black square"),
        analysed("horse", TENANT, 0.01f, object("horse", 0.54f), object("person", 0.31f)),
        captioned("coffee", "a brown circle"),
        analysed("coffee", TENANT, 0.02f, object("cup", 0.47f), object("dining table", 0.41f)),
        captioned("field", "a green field with a fence"),
        analysed("field", TENANT, 0.0f));

    assertThat(ids(index.bm25("horse", 10, filter()))).containsExactly("horse");
    assertThat(ids(index.bm25("a horse", 10, filter()))).first().isEqualTo("horse");
    assertThat(ids(index.bm25("dining table", 10, filter()))).containsExactly("coffee");
    assertThat(ids(index.bm25("table", 10, filter()))).containsExactly("coffee");
    // The labels are part of the text the sentence model embeds.
    assertThat(index.item(TENANT, "coffee").orElseThrow().textVectorSource())
        .isEqualTo("a brown circle\ncup, dining table");
    List<LuceneMediaIndex.Scored> dense =
        index.knn(
            IndexFields.textVectorField(FakeQueryEncoder.MINILM),
            Vectors.normalized(FakeQueryEncoder.bagOfWords("horse")),
            3,
            100,
            filter(),
            Float.NEGATIVE_INFINITY);
    assertThat(ids(dense)).first().isEqualTo("horse");
  }

  @Test
  void aLabelCountsOnceHoweverManyInstancesWereDetected() {
    apply(
        analysed(
            "crowd",
            TENANT,
            0f,
            object("person", 0.9f),
            object("person", 0.8f),
            object("Person", 0.7f)),
        analysed("one", TENANT, 0f, object("person", 0.9f)));

    List<LuceneMediaIndex.Scored> hits = index.bm25("person", 10, filter());
    assertThat(ids(hits)).containsExactlyInAnyOrder("crowd", "one");
    assertThat(hits.get(0).score()).isEqualTo(hits.get(1).score());
    // Stored as detected: every instance with its own box.
    assertThat(index.item(TENANT, "crowd").orElseThrow().vision().objects()).hasSize(3);
  }

  @Test
  void aVisionEventReplacesThePreviousObjectsAndSafetyAndReembedsTheText() {
    apply(captioned("m", "a photo"), analysed("m", TENANT, 0.9f, object("horse", 0.5f)));
    MediaItem before = index.item(TENANT, "m").orElseThrow();
    int calls = encoder.textCalls.get();

    apply(analysed("m", TENANT, 0.1f, object("dog", 0.47f)));
    apply(analysed("m", TENANT, 0.1f, object("dog", 0.47f))); // redelivered: the same state

    MediaItem after = index.item(TENANT, "m").orElseThrow();
    assertThat(after.vision().labels()).containsExactly("dog");
    assertThat(after.vision().unsafeScore()).isEqualTo(0.1f);
    assertThat(index.bm25("horse", 10, filter())).isEmpty();
    assertThat(ids(index.bm25("dog", 10, filter()))).containsExactly("m");
    assertThat(after.textVectorSource()).isEqualTo("a photo\ndog");
    assertThat(after.textVector().vector()).isNotEqualTo(before.textVector().vector());
    assertThat(encoder.textCalls.get())
        .as("re-embedded once, not again for the redelivery")
        .isEqualTo(calls + 1);
    assertThat(index.documentCount()).isEqualTo(1);
  }

  @Test
  void theObjectsFilterNeedsEveryLabelExactlyIgnoringCase() {
    apply(
        embedded("horse", 1, 0, 0),
        analysed("horse", TENANT, 0f, object("horse", 0.54f), object("person", 0.31f)),
        embedded("coffee", 1, 0.1f, 0),
        analysed("coffee", TENANT, 0f, object("cup", 0.47f), object("dining table", 0.41f)),
        embedded("plain", 1, 0.2f, 0));

    assertThat(ids(knn(objects("horse")))).containsExactly("horse");
    assertThat(ids(knn(objects("Dining Table", "CUP")))).containsExactly("coffee");
    assertThat(ids(knn(objects("cup", "horse")))).isEmpty();
    assertThat(ids(knn(objects("table")))).as("a label, not a word of it").isEmpty();
    assertThat(ids(index.bm25("cup", 10, objects("cup")))).containsExactly("coffee");
    assertThat(ids(knn(filter()))).containsExactly("horse", "coffee", "plain");
  }

  @Test
  void safeSearchDropsItemsAboveTheThresholdInsideTheKnnAndBm25Searches() {
    // The unsafe items are the nearest to the query: a post-filter would return fewer than k.
    apply(
        embedded("unsafe-high", 1, 0, 0),
        analysed("unsafe-high", TENANT, 0.9f, object("person", 0.6f)),
        embedded("just-above", 1, 0.01f, 0),
        analysed("just-above", TENANT, 0.5001f, object("person", 0.6f)),
        embedded("at-threshold", 1, 0.2f, 0),
        analysed("at-threshold", TENANT, 0.5f, object("person", 0.6f)),
        embedded("low", 1, 0.3f, 0),
        analysed("low", TENANT, 0.1f, object("person", 0.6f)),
        embedded("unscored", 1, 0.4f, 0),
        analysed("unscored", TENANT, NOT_SCORED, object("person", 0.6f)),
        embedded("not-analysed", 1, 0.5f, 0),
        captioned("not-analysed", "a person"));

    Query safe = safe(0.5f, false);
    assertThat(
            ids(
                index.knn(
                    IndexFields.vectorField(CLIP),
                    new float[] {1, 0, 0},
                    2,
                    100,
                    safe,
                    Float.NEGATIVE_INFINITY)))
        .containsExactly("at-threshold", "low");
    assertThat(ids(knn(safe))).containsExactly("at-threshold", "low", "unscored", "not-analysed");
    assertThat(ids(knn(safe(0.5f, true)))).containsExactly("at-threshold", "low");
    assertThat(ids(knn(safe(0.95f, false)))).hasSize(6);
    assertThat(ids(knn(safe(0.05f, true)))).isEmpty();
    assertThat(ids(index.bm25("person", 10, safe)))
        .containsExactlyInAnyOrder("at-threshold", "low", "unscored", "not-analysed");
    assertThat(ids(index.bm25("person", 10, filter()))).hasSize(6);
  }

  @Test
  void anInt8IndexAnswersAFilterThatMatchesNothingWithNoHits() throws IOException {
    index.close();
    index =
        LuceneMediaIndex.open(
            dir.resolve("int8"), new LuceneMediaIndex.Settings(16, 100, true, 16));
    updater = new IndexUpdater(index, encoder, "minilm", "default", Duration.ofMillis(1));
    apply(embedded("horse", 1, 0, 0), analysed("horse", TENANT, 0.9f, object("horse", 0.54f)));

    assertThat(ids(knn(objects("horse")))).containsExactly("horse");
    assertThat(knn(objects("zebra"))).isEmpty();
    assertThat(knn(safe(0.5f, true))).isEmpty();
  }

  @Test
  void aVisionEventOfADeletedItemReadLaterDoesNotResurrectIt() {
    apply(
        new IndexChange.Ingested("gone", TENANT, "image/png", Map.of(), List.of(), T0),
        embedded("gone", 1, 0, 0));
    apply(new IndexChange.Deleted("gone", TENANT, T0.plusSeconds(5)));
    apply(analysed("gone", TENANT, 0.1f, object("horse", 0.5f)));

    assertThat(index.item(TENANT, "gone")).isEmpty();
    assertThat(index.bm25("horse", 10, filter())).isEmpty();
    assertThat(
            index.knn(
                IndexFields.vectorField(CLIP), new float[] {1, 0, 0}, 5, 100, objects("horse"), -1))
        .isEmpty();

    // A new ingest event revives the id without the old item's parts; a new vision event applies.
    apply(
        new IndexChange.Ingested(
            "gone", TENANT, "image/png", Map.of(), List.of(), T0.plusSeconds(10)));
    assertThat(index.item(TENANT, "gone").orElseThrow().vision()).isNull();
    apply(analysed("gone", TENANT, 0.1f, object("horse", 0.5f)));
    assertThat(ids(index.bm25("horse", 10, filter()))).containsExactly("gone");
  }

  @Test
  void theVisionPartSurvivesAReopenWithBoxesModelsAndImageSize() throws IOException {
    apply(
        embedded("m", 1, 0, 0),
        new IndexChange.Captioned("m", TENANT, "a cup", "vit-gpt2@1", "", "", T0, true),
        analysed("m", TENANT, 0.25f, object("cup", 0.47f), object("dining table", 0.41f)));
    Vision written = index.item(TENANT, "m").orElseThrow().vision();
    index.commit();
    index.close();
    index = LuceneMediaIndex.open(dir);

    MediaItem item = index.item(TENANT, "m").orElseThrow();
    assertThat(item.vision()).isEqualTo(written);
    assertThat(item.vision().objects().get(1).getBox().getXMax()).isEqualTo(0.1f + 0.41f / 2);
    assertThat(item.vision().detector()).isEqualTo(TestVision.DETECTOR);
    assertThat(item.vision().safetyModel()).isEqualTo(TestVision.SAFETY);
    assertThat(item.vision().safety())
        .extracting(c -> c.getLabel())
        .containsExactly("drawing", "hentai", "neutral", "porn", "sexy");
    assertThat(item.vision().imageWidth()).isEqualTo(640);
    assertThat(item.vision().imageHeight()).isEqualTo(480);
    assertThat(item.vision().analysedAt()).isEqualTo(TestVision.ANALYSED_AT);
    assertThat(item.captionModelFixture()).isTrue();
    assertThat(item.imageVectors().get(CLIP).fixture()).isTrue();
    assertThat(ids(index.bm25("dining", 10, filter()))).containsExactly("m");
    assertThat(ids(knn(safe(0.2f, false)))).isEmpty();
  }

  private void apply(IndexChange... changes) {
    List<IndexUpdater.Record> batch =
        Arrays.stream(changes)
            .map(c -> new IndexUpdater.Record(c, new SourceOffset("media.vision.v1", 0, offset++)))
            .toList();
    assertThat(updater.apply(batch, () -> true)).isEmpty();
  }

  private static IndexChange captioned(String id, String caption) {
    return new IndexChange.Captioned(id, TENANT, caption, "captioner@1", "", "", T0);
  }

  /** A fixture-model embedding. */
  private static IndexChange embedded(String id, float... v) {
    return new IndexChange.Embedded(
        new MediaEmbedding(id, TENANT, "image/png", Map.of(), List.of(), T0, T0, CLIP, v, true));
  }

  private List<LuceneMediaIndex.Scored> knn(Query filter) {
    return index.knn(
        IndexFields.vectorField(CLIP),
        Vectors.normalized(new float[] {1, 0, 0}),
        10,
        100,
        filter,
        Float.NEGATIVE_INFINITY);
  }

  private static Query filter() {
    return SearchFilters.of(TENANT, List.of(), null, null, List.of());
  }

  private static Query objects(String... labels) {
    return SearchFilters.of(TENANT, List.of(), null, null, List.of(), List.of(labels), null);
  }

  private static Query safe(float threshold, boolean excludeUnscored) {
    return SearchFilters.of(
        TENANT,
        List.of(),
        null,
        null,
        List.of(),
        List.of(),
        new SearchFilters.SafeSearch(threshold, excludeUnscored));
  }

  private static List<String> ids(List<LuceneMediaIndex.Scored> hits) {
    return hits.stream().map(LuceneMediaIndex.Scored::mediaId).toList();
  }
}
