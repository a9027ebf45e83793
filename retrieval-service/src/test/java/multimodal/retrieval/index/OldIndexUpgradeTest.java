package multimodal.retrieval.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import multimodal.retrieval.FakeQueryEncoder;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.SourceOffset;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An index that Lucene 9.12 wrote (float32 and int8, by {@link OldIndexFixture}) opened by the
 * current Lucene: read, searched exactly, written to, and rewritten in the current format by a
 * force-merge. A deployment that upgrades keeps its index instead of replaying the topics.
 */
class OldIndexUpgradeTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"float32", "int8"})
  void aLucene9IndexIsSearchedExactlyAndRewrittenByAForceMerge(String encoding) throws Exception {
    copyFixture(encoding);
    boolean int8 = encoding.equals("int8");
    assertThat(codecs()).containsOnly("Lucene912");

    try (LuceneMediaIndex index =
        LuceneMediaIndex.open(dir, new LuceneMediaIndex.Settings(16, 100, int8, 16))) {
      assertThat(index.documentCount()).isEqualTo(OldIndexFixture.ITEMS);
      MediaItem old = index.item(OldIndexFixture.TENANT, "m0").orElseThrow();
      assertThat(old.caption()).isEqualTo("boats in a harbour");
      // Written before media.vision.v1 and the fixture flags: none of them, nothing fails.
      assertThat(old.vision()).isNull();
      assertThat(old.captionModelFixture()).isFalse();
      assertThat(old.imageVectors().get(OldIndexFixture.MODEL).fixture()).isFalse();
      assertThat(index.appliedOffsets())
          .containsEntry("media.embedding.v1:0", (long) OldIndexFixture.ITEMS);
      assertSearchesAreExact(index, OldIndexFixture.vectors());

      List<float[]> vectors = new ArrayList<>(OldIndexFixture.vectors());
      float[] added = vectors.get(7).clone(); // a near-duplicate of m7
      added[0] += 0.01f;
      added = Vectors.normalized(added);
      vectors.add(added);
      MediaEmbedding embedding =
          new MediaEmbedding(
              "m" + OldIndexFixture.ITEMS,
              OldIndexFixture.TENANT,
              "image/png",
              Map.of(),
              List.of(),
              null,
              OldIndexFixture.AT,
              OldIndexFixture.MODEL,
              added);
      new IndexUpdater(index, new FakeQueryEncoder(), "minilm", "default", Duration.ofMillis(1))
          .apply(
              List.of(
                  new IndexUpdater.Record(
                      new IndexChange.Embedded(embedding),
                      new SourceOffset("media.embedding.v1", 0, OldIndexFixture.ITEMS))),
              () -> true);
      index.commit();
      index.forceMerge(1);

      assertThat(codecs()).containsExactly(Codec.getDefault().getName());
      assertThat(index.documentCount()).isEqualTo(OldIndexFixture.ITEMS + 1);
      assertSearchesAreExact(index, vectors);
    }
  }

  /**
   * An index of the layout before items were keyed by (tenant, media id) is rewritten once at open;
   * afterwards an event of an old item replaces its document (no second one beside it), and the
   * same media id of another tenant is another item.
   */
  @ParameterizedTest
  @ValueSource(strings = {"float32"})
  void anIndexWrittenBeforeItemKeysIsRewrittenOnceAndKeepsOneDocumentPerItem(String encoding)
      throws Exception {
    copyFixture(encoding);
    try (LuceneMediaIndex index = LuceneMediaIndex.open(dir)) {
      assertThat(index.documentCount()).isEqualTo(OldIndexFixture.ITEMS);
    }
    try (FSDirectory directory = FSDirectory.open(dir)) {
      assertThat(SegmentInfos.readLatestCommit(directory).getUserData())
          .containsEntry(CommitData.SCHEMA, CommitData.SCHEMA_VERSION)
          .containsEntry("offset:media.embedding.v1:0", Long.toString(OldIndexFixture.ITEMS));
    }
    try (LuceneMediaIndex index = LuceneMediaIndex.open(dir)) {
      IndexUpdater updater =
          new IndexUpdater(
              index, new FakeQueryEncoder(), "minilm", "default", Duration.ofMillis(1));
      updater.apply(
          List.of(
              new IndexUpdater.Record(
                  new IndexChange.Ingested(
                      "m0",
                      OldIndexFixture.TENANT,
                      "image/png",
                      Map.of("title", "renamed"),
                      List.of(),
                      OldIndexFixture.AT),
                  null),
              new IndexUpdater.Record(
                  new IndexChange.Ingested(
                      "m0",
                      "globex",
                      "image/png",
                      Map.of("title", "globex's m0"),
                      List.of(),
                      OldIndexFixture.AT),
                  null)),
          () -> true);
      assertThat(index.documentCount()).isEqualTo(OldIndexFixture.ITEMS + 1);
      MediaItem m0 = index.item(OldIndexFixture.TENANT, "m0").orElseThrow();
      assertThat(m0.metadata()).containsEntry("title", "renamed");
      assertThat(m0.caption())
          .as("the rest of the old item is kept")
          .isEqualTo("boats in a harbour");
      assertThat(m0.imageVectors()).containsKey(OldIndexFixture.MODEL);
      assertThat(index.item("globex", "m0").orElseThrow().imageVectors()).isEmpty();
    }
  }

  /**
   * With ef = every item the graph offers every candidate: the top 10 and its cosines must be
   * exact.
   */
  private static void assertSearchesAreExact(LuceneMediaIndex index, List<float[]> vectors) {
    Random random = new Random(5);
    for (int q = 0; q < 10; q++) {
      float[] unit = OldIndexFixture.randomUnit(random);
      List<Integer> exact =
          IntStream.range(0, vectors.size())
              .boxed()
              .sorted(
                  Comparator.comparingDouble(
                          (Integer i) -> VectorUtil.dotProduct(unit, vectors.get(i)))
                      .reversed())
              .limit(10)
              .toList();
      List<LuceneMediaIndex.Scored> hits =
          index.knn(
              IndexFields.vectorField(OldIndexFixture.MODEL),
              unit,
              10,
              vectors.size(),
              SearchFilters.of(OldIndexFixture.TENANT, List.of(), null, null, List.of()),
              Float.NEGATIVE_INFINITY);
      assertThat(hits)
          .extracting(LuceneMediaIndex.Scored::mediaId)
          .containsExactlyElementsOf(exact.stream().map(i -> "m" + i).toList());
      // Safe search keeps the unscored items of segments without the vision fields; asking for
      // scored items or for an object finds none.
      assertThat(
              index.knn(
                  IndexFields.vectorField(OldIndexFixture.MODEL),
                  unit,
                  10,
                  vectors.size(),
                  vision(List.of(), false),
                  -1))
          .isEqualTo(hits);
      assertThat(
              index.knn(
                  IndexFields.vectorField(OldIndexFixture.MODEL),
                  unit,
                  10,
                  vectors.size(),
                  vision(List.of(), true),
                  -1))
          .isEmpty();
      assertThat(
              index.knn(
                  IndexFields.vectorField(OldIndexFixture.MODEL),
                  unit,
                  10,
                  vectors.size(),
                  vision(List.of("boat"), false),
                  -1))
          .isEmpty();
      for (int i = 0; i < 10; i++) {
        // int8 codes alone are ~1e-2 off: the old int8 segments' candidates are rescored too
        assertThat(hits.get(i).score())
            .isCloseTo(VectorUtil.dotProduct(unit, vectors.get(exact.get(i))), within(1e-5f));
      }
    }
  }

  private static org.apache.lucene.search.Query vision(
      List<String> objects, boolean excludeUnscored) {
    return SearchFilters.of(
        OldIndexFixture.TENANT,
        List.of(),
        null,
        null,
        List.of(),
        objects,
        new SearchFilters.SafeSearch(0.5f, excludeUnscored));
  }

  private List<String> codecs() throws IOException {
    try (FSDirectory directory = FSDirectory.open(dir)) {
      List<String> names = new ArrayList<>();
      for (SegmentCommitInfo segment : SegmentInfos.readLatestCommit(directory)) {
        names.add(segment.info.getCodec().getName());
      }
      return names;
    }
  }

  private void copyFixture(String encoding) throws URISyntaxException, IOException {
    Path fixture = Path.of(getClass().getResource("/lucene9-index/" + encoding).toURI());
    try (Stream<Path> files = Files.list(fixture)) {
      files.forEach(
          file -> {
            try {
              Files.copy(file, dir.resolve(file.getFileName()));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }
}
