package multimodal.retrieval.messaging;

import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.QueryEncoder;
import multimodal.retrieval.SourceOffset;
import multimodal.retrieval.index.IndexFields;
import multimodal.retrieval.index.IndexUpdater;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.v1.Embedding;
import multimodal.v1.ImageSource;
import multimodal.v1.MediaEmbeddingEvent;
import multimodal.v1.Topics;

/**
 * Runs the materialiser's path on a scratch index in a temporary directory, before the real index
 * is consumed into: embedding events decoded by {@link RecordDecoder}, applied in small batches by
 * {@link IndexUpdater} (HNSW inserts), each batch followed by a near-real-time lookup and a kNN
 * search, then a commit. The scratch index is deleted; the real one is never touched.
 *
 * <p>Why: Lucene's vector code runs on the Vector API, which is many times slower than scalar code
 * until the JIT has compiled it, and every HNSW insert does hundreds of dot products. Right after a
 * start the index's part of ingest → searchable was 1.7 s at the median in the first ten seconds
 * against under 0.5 s warm (IngestLatencyBenchmark, 2-core machine under load).
 */
public final class MaterializerWarmUp {
  private static final int BATCH = 8;
  private static final int DIMENSION = 512;
  private static final ModelVersion MODEL = new ModelVersion("warm-up", "scratch");

  private final LuceneMediaIndex.Settings settings;
  private final String defaultTenant;
  private final int items;

  /**
   * @param settings the real index's settings, so the same HNSW and encoding code is compiled
   * @param items how many synthetic items to index (0: no warm-up)
   */
  public MaterializerWarmUp(LuceneMediaIndex.Settings settings, String defaultTenant, int items) {
    this.settings = settings;
    this.defaultTenant = defaultTenant;
    this.items = items;
  }

  /** Indexes and searches the synthetic items; returns how many were indexed. */
  public int run() {
    if (items <= 0) {
      return 0;
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("retrieval-warm-up");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (LuceneMediaIndex scratch = LuceneMediaIndex.open(dir, settings)) {
      return indexAndSearch(scratch);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(dir);
    }
  }

  private int indexAndSearch(LuceneMediaIndex scratch) {
    RecordDecoder decoder = new RecordDecoder(defaultTenant);
    // No sentence model: the synthetic items have no text, so nothing would call it.
    IndexUpdater updater = new IndexUpdater(scratch, NO_ENCODER, "", defaultTenant, Duration.ZERO);
    Random random = new Random(20261207L);
    String field = IndexFields.vectorField(MODEL);
    int done = 0;
    while (done < items) {
      List<IndexUpdater.Record> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH && done < items; i++, done++) {
        String mediaId = "warm-up-" + done;
        byte[] event = event(mediaId, unitVector(random)).toByteArray();
        batch.add(
            new IndexUpdater.Record(
                decoder.decode(Topics.MEDIA_EMBEDDING, mediaId, event, Map.of()),
                new SourceOffset(Topics.MEDIA_EMBEDDING, 0, done)));
      }
      List<IndexUpdater.Rejection> rejected = updater.apply(batch, () -> true);
      if (!rejected.isEmpty()) {
        throw new IllegalStateException("warm-up item refused: " + rejected.get(0).reason());
      }
      if (scratch.item(defaultTenant, "warm-up-" + (done - 1)).isEmpty()) {
        throw new IllegalStateException("warm-up item not found right after its write");
      }
      scratch.knn(field, unitVector(random), 10, 40, null, -1f);
    }
    scratch.commit();
    return done;
  }

  private MediaEmbeddingEvent event(String mediaId, float[] vector) {
    Embedding.Builder embedding =
        Embedding.newBuilder()
            .setModelName(MODEL.name())
            .setModelVersion(MODEL.version())
            .setDimension(vector.length);
    for (float v : vector) {
      embedding.addValues(v);
    }
    long now = System.currentTimeMillis();
    Timestamp at = Timestamp.newBuilder().setSeconds(now / 1000).build();
    return MediaEmbeddingEvent.newBuilder()
        .setMediaId(mediaId)
        .setTenant(defaultTenant)
        .setContentType("image/png")
        .setEmbedding(embedding)
        .setIngestedAt(at)
        .setEmbeddedAt(at)
        .build();
  }

  private static float[] unitVector(Random random) {
    float[] v = new float[DIMENSION];
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
      sum += (double) v[i] * v[i];
    }
    float scale = (float) (1 / Math.sqrt(sum));
    for (int i = 0; i < v.length; i++) {
      v[i] *= scale;
    }
    return v;
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: the OS cleans it up if we cannot
    }
  }

  private static final QueryEncoder NO_ENCODER =
      new QueryEncoder() {
        @Override
        public List<Embedding> encodeTexts(List<String> texts, String model) {
          throw new IllegalStateException("the warm-up has no text to embed");
        }

        @Override
        public Embedding encodeImage(ImageSource image, String model) {
          throw new IllegalStateException("the warm-up has no image to embed");
        }
      };
}
