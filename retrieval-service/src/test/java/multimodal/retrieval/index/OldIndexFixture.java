package multimodal.retrieval.index;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import multimodal.retrieval.FakeQueryEncoder;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.SourceOffset;

/**
 * Writes the small indexes under {@code src/test/resources/lucene9-index}, which {@link
 * OldIndexUpgradeTest} opens with the current Lucene. They were written by this class run against
 * the service as of commit 7525506 (Lucene 9.12.3, the last before Lucene 10): {@code java -cp
 * <that build's test classpath> multimodal.retrieval.index.OldIndexFixture <dir>}. Each index
 * (float32 and int8) holds {@link #ITEMS} items in two segments, with known vectors.
 */
public final class OldIndexFixture {
  static final ModelVersion MODEL = new ModelVersion("clip", "v1");
  static final String TENANT = "acme";
  static final int ITEMS = 300;
  static final int DIMENSION = 16;
  static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  private OldIndexFixture() {}

  /** The unit vectors of items m0, m1, ... in order (seeded, so the test recomputes them). */
  static List<float[]> vectors() {
    Random random = new Random(2026);
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      vectors.add(randomUnit(random));
    }
    return vectors;
  }

  /** A unit vector of {@link #DIMENSION} uniform components in [-1, 1), normalised. */
  static float[] randomUnit(Random random) {
    float[] v = new float[DIMENSION];
    for (int d = 0; d < DIMENSION; d++) {
      v[d] = random.nextFloat() * 2 - 1;
    }
    return Vectors.normalized(v);
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    write(out.resolve("float32"), false);
    write(out.resolve("int8"), true);
  }

  private static void write(Path dir, boolean int8) throws Exception {
    try (LuceneMediaIndex index =
        LuceneMediaIndex.open(dir, new LuceneMediaIndex.Settings(16, 100, int8, 16))) {
      IndexUpdater updater =
          new IndexUpdater(
              index, new FakeQueryEncoder(), "minilm", "default", Duration.ofMillis(1));
      List<float[]> vectors = vectors();
      long offset = 0;
      for (int segment = 0; segment < 2; segment++) {
        List<IndexUpdater.Record> batch = new ArrayList<>();
        for (int i = segment * ITEMS / 2; i < (segment + 1) * ITEMS / 2; i++) {
          MediaEmbedding embedding =
              new MediaEmbedding(
                  "m" + i,
                  TENANT,
                  "image/png",
                  Map.of("n", Integer.toString(i)),
                  List.of(),
                  null,
                  AT,
                  MODEL,
                  vectors.get(i));
          batch.add(
              new IndexUpdater.Record(
                  new IndexChange.Embedded(embedding),
                  new SourceOffset("media.embedding.v1", 0, offset++)));
        }
        if (segment == 0) {
          IndexChange caption =
              new IndexChange.Captioned(
                  "m0", TENANT, "boats in a harbour", "blip@1", "PORT", "tesseract", AT);
          batch.add(new IndexUpdater.Record(caption, new SourceOffset("media.caption.v1", 0, 0)));
        }
        updater.apply(batch, () -> true);
        index.commit();
      }
    }
  }
}
