package multimodal.retrieval.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import multimodal.retrieval.FakeQueryEncoder;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.ItemKey;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.SourceOffset;
import multimodal.retrieval.VideoSegments;
import multimodal.retrieval.search.KeyframeMatches;
import multimodal.v1.TimeRange;
import multimodal.v1.TimedText;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Videos ranked by their best keyframe: a video of eight scenes, one of which is the query, among
 * thirty images closer to the query than the video's mean vector. Ranked by the mean (the item
 * vector alone) the video is outside the top ten; ranked by its best keyframe it is first.
 */
class KeyframeSearchTest {
  static final ModelVersion CLIP = new ModelVersion("clip", "v1");
  static final String TENANT = "studio";
  static final String VIDEO = "scenes.mp4";
  static final int DIMENSION = 16;
  static final int MATCHING_SCENE = 5;
  static final int K = 10;
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final float[] QUERY = basis(0);

  @TempDir Path dir;
  LuceneMediaIndex index;
  IndexUpdater updater;
  long offset;

  @AfterEach
  void close() throws IOException {
    if (index != null) {
      index.close();
    }
  }

  @Test
  void aVideoWithOneMatchingSceneIsTheFirstHitWithThatScenesTimeRange() throws IOException {
    open(LuceneMediaIndex.Settings.DEFAULT);
    seed(TENANT);

    assertThat(ids(index.knn(IndexFields.vectorField(CLIP), QUERY, K, 100, filter(), -1f)))
        .as("by its mean vector alone the video is outside the top %d", K)
        .doesNotContain(VIDEO);
    List<LuceneMediaIndex.Scored> hits = imageKnn(filter());
    assertThat(hits.get(0).mediaId()).isEqualTo(VIDEO);
    assertThat(hits.get(0).score()).isCloseTo(1f, within(1e-5f));
    assertThat(hits).hasSize(K);
    assertThat(hits.get(1).score()).isCloseTo(0.6f, within(1e-5f)); // the images keep theirs

    List<TimedText> segments =
        KeyframeMatches.best(index.item(TENANT, VIDEO).orElseThrow().keyframes(), CLIP, QUERY);
    assertThat(segments.get(0).getTime()).isEqualTo(sceneTime(MATCHING_SCENE));
  }

  @Test
  void theQuantisedIndexRanksTheVideoFirstToo() throws IOException {
    open(new LuceneMediaIndex.Settings(16, 100, true, 64));
    seed(TENANT);

    List<LuceneMediaIndex.Scored> hits = imageKnn(filter());
    assertThat(hits.get(0).mediaId()).isEqualTo(VIDEO);
    assertThat(hits.get(0).score()).isCloseTo(1f, within(1e-5f)); // rescored from the floats
  }

  @Test
  void itemQueriesSeeItemsOnlyNeverKeyframeDocuments() throws IOException {
    open(LuceneMediaIndex.Settings.DEFAULT);
    seed(TENANT);
    apply(new IndexChange.Captioned(VIDEO, TENANT, "a harbour at dusk", "blip", "", "", T0));

    assertThat(index.documentCount()).isEqualTo(31);
    assertThat(index.keyframeCount()).isEqualTo(8);
    MediaItem video = index.item(TENANT, VIDEO).orElseThrow();
    assertThat(video.contentType()).isEqualTo("video/mp4");
    assertThat(video.caption()).isEqualTo("a harbour at dusk");
    assertThat(video.keyframes().segments()).hasSize(8);
    assertThat(ids(index.bm25("harbour", K, filter()))).containsExactly(VIDEO);
    // The caption rewrote the item's block; its keyframes are searchable still.
    assertThat(imageKnn(filter()).get(0).mediaId()).isEqualTo(VIDEO);
  }

  @Test
  void replacingTheVideoReplacesItsKeyframes() throws IOException {
    open(LuceneMediaIndex.Settings.DEFAULT);
    seed(TENANT);
    List<float[]> otherScenes = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      otherScenes.add(basis(i));
    }
    apply(video(TENANT, otherScenes)); // embedded again: four scenes, none of them the query

    assertThat(index.keyframeCount()).isEqualTo(4);
    assertThat(index.documentCount()).isEqualTo(31);
    assertThat(ids(imageKnn(filter()))).doesNotContain(VIDEO);
  }

  @Test
  void deletingTheVideoDeletesItsKeyframes() throws IOException {
    open(LuceneMediaIndex.Settings.DEFAULT);
    seed(TENANT);
    apply(new IndexChange.Deleted(VIDEO, TENANT));

    assertThat(index.keyframeCount()).isZero();
    assertThat(ids(imageKnn(filter()))).hasSize(K).doesNotContain(VIDEO);
    assertThat(index.itemsAndTombstones(List.of(new ItemKey(TENANT, VIDEO))))
        .hasEntrySatisfying(
            new ItemKey(TENANT, VIDEO), item -> assertThat(item.deleted()).isTrue());
  }

  @Test
  void keyframeMatchesKeepToTheFilter() throws IOException {
    open(LuceneMediaIndex.Settings.DEFAULT);
    seed(TENANT);
    apply(video("other-tenant", scenes()));

    assertThat(ids(imageKnn(SearchFilters.of("other-tenant", List.of(), null, null, List.of()))))
        .containsExactly(VIDEO);
    assertThat(ids(imageKnn(filter()))).containsOnlyOnce(VIDEO);
    assertThat(ids(imageKnn(SearchFilters.of("nobody", List.of(), null, null, List.of()))))
        .isEmpty();
    // Only images carry the tag: the video's keyframes are filtered by their item's tags.
    assertThat(ids(imageKnn(SearchFilters.of(TENANT, List.of("still"), null, null, List.of()))))
        .hasSize(K)
        .doesNotContain(VIDEO);
  }

  @Test
  void anImageOnlyIndexAnswersAsTheItemSearch() throws IOException {
    open(LuceneMediaIndex.Settings.DEFAULT);
    images(TENANT);

    assertThat(index.keyframeCount()).isZero();
    assertThat(imageKnn(filter()))
        .isEqualTo(index.knn(IndexFields.vectorField(CLIP), QUERY, K, 100, filter(), -1f));
  }

  @Test
  void anIndexWrittenBeforeKeyframeBlocksIndexesItsVideosKeyframesWhenOpened() throws IOException {
    open(LuceneMediaIndex.Settings.DEFAULT);
    seed(TENANT);
    MediaItem video = index.item(TENANT, VIDEO).orElseThrow();
    MediaItem image = index.item(TENANT, "image-0").orElseThrow();
    index.close();
    index = null;
    Path old = dir.resolve("old");
    // The layout before: one document per item, the keyframes stored on the video's only.
    try (IndexWriter writer =
        new IndexWriter(
            FSDirectory.open(old),
            IndexWriterConfigs.of(LuceneMediaIndex.Settings.DEFAULT)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE))) {
      writer.addDocument(MediaDocuments.toDocument(video));
      writer.addDocument(MediaDocuments.toDocument(image));
      writer.setLiveCommitData(Map.of(CommitData.SCHEMA, "2").entrySet());
      writer.commit();
    }

    index = LuceneMediaIndex.open(old);
    assertThat(index.keyframeCount()).isEqualTo(8);
    assertThat(index.documentCount()).isEqualTo(2);
    assertThat(ids(imageKnn(filter()))).containsExactly(VIDEO, "image-0");
    index.close();
    index = LuceneMediaIndex.open(old); // migrated once: the marker is in the commit
    assertThat(index.keyframeCount()).isEqualTo(8);
  }

  private void open(LuceneMediaIndex.Settings settings) throws IOException {
    index = LuceneMediaIndex.open(dir.resolve("index"), settings);
    updater =
        new IndexUpdater(index, new FakeQueryEncoder(), "minilm", "default", Duration.ofMillis(1));
  }

  /** The video and thirty images of a tenant. */
  private void seed(String tenant) {
    images(tenant);
    apply(video(tenant, scenes()));
  }

  /** Thirty images at cosine 0.6 to the query, tagged "still". */
  private void images(String tenant) {
    Random random = new Random(42);
    List<IndexChange> images = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      float[] v = new float[DIMENSION];
      float[] away = new float[DIMENSION];
      for (int d = 8; d < DIMENSION; d++) {
        away[d] = (float) random.nextGaussian(); // orthogonal to every scene and the query
      }
      away = Vectors.normalized(away);
      for (int d = 0; d < DIMENSION; d++) {
        v[d] = 0.6f * QUERY[d] + 0.8f * away[d];
      }
      images.add(
          new IndexChange.Embedded(
              new MediaEmbedding(
                  "image-" + i,
                  tenant,
                  "image/png",
                  Map.of(),
                  List.of("still"),
                  null,
                  T0,
                  CLIP,
                  v)));
    }
    apply(images.toArray(IndexChange[]::new));
  }

  /** Eight scenes of different directions; scene {@link #MATCHING_SCENE} is the query's. */
  private static List<float[]> scenes() {
    List<float[]> scenes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      scenes.add(basis(i == MATCHING_SCENE ? 0 : i < MATCHING_SCENE ? i + 1 : i));
    }
    return scenes;
  }

  /** A video whose item vector is the mean of its scenes, each scene two seconds long. */
  private static IndexChange video(String tenant, List<float[]> scenes) {
    float[] mean = new float[DIMENSION];
    List<VideoSegments.Segment> segments = new ArrayList<>();
    for (int i = 0; i < scenes.size(); i++) {
      for (int d = 0; d < DIMENSION; d++) {
        mean[d] += scenes.get(i)[d];
      }
      segments.add(new VideoSegments.Segment(sceneTime(i), scenes.get(i)));
    }
    return new IndexChange.Embedded(
        new MediaEmbedding(
            VIDEO,
            tenant,
            "video/mp4",
            Map.of(),
            List.of(),
            null,
            T0,
            CLIP,
            Vectors.normalized(mean),
            false,
            new VideoSegments(CLIP, 2_000L * scenes.size(), segments)));
  }

  private static TimeRange sceneTime(int scene) {
    return TimeRange.newBuilder().setStartMs(2_000L * scene).setEndMs(2_000L * (scene + 1)).build();
  }

  private static float[] basis(int axis) {
    float[] v = new float[DIMENSION];
    v[axis] = 1f;
    return v;
  }

  private void apply(IndexChange... changes) {
    List<IndexUpdater.Record> batch = new ArrayList<>();
    for (IndexChange change : changes) {
      batch.add(
          new IndexUpdater.Record(change, new SourceOffset("media.embedding.v1", 0, offset++)));
    }
    assertThat(updater.apply(batch, () -> true)).isEmpty();
  }

  private List<LuceneMediaIndex.Scored> imageKnn(Query filter) {
    return index.imageKnn(CLIP, QUERY, K, 100, filter, -1f);
  }

  private static Query filter() {
    return SearchFilters.of(TENANT, List.of(), null, null, List.of());
  }

  private static List<String> ids(List<LuceneMediaIndex.Scored> hits) {
    return hits.stream().map(LuceneMediaIndex.Scored::mediaId).toList();
  }
}
