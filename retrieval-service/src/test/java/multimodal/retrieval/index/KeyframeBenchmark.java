package multimodal.retrieval.index;

import static multimodal.retrieval.index.IndexFields.ITEM_KEY;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.VideoSegments;
import multimodal.retrieval.bench.AnnBenchmark;
import multimodal.v1.TimeRange;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.FSDirectory;

/**
 * What indexing keyframes as child documents costs and what it finds: the same images and videos
 * indexed twice, as keyframe blocks (this service) and in the layout before (one document per item,
 * the keyframes stored on the video only, written through the same document mapping), each built,
 * force-merged to one segment and searched with the same queries (k 10), alternately. Prints the
 * build time, the index size, query latency (one thread, after a warm-up) and recall@10 against the
 * exact ranking where a video scores with the best of its mean and its keyframes.
 *
 * <pre>
 * java -cp ... multimodal.retrieval.index.KeyframeBenchmark --images 10000 --videos 500 \
 *   --keyframes 8 --dim 256 --queries 500 --ef 100 --workdir /tmp/keyframe-bench
 * </pre>
 */
public final class KeyframeBenchmark {
  private static final ModelVersion MODEL = new ModelVersion("clip", "bench");
  private static final String TENANT = "bench";
  private static final int K = 10;
  private static final int CLUSTERS = 50;
  private static final int BATCH = 1000;

  private KeyframeBenchmark() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = args(argv);
    int images = Integer.parseInt(args.getOrDefault("images", "10000"));
    int videos = Integer.parseInt(args.getOrDefault("videos", "500"));
    int keyframes = Integer.parseInt(args.getOrDefault("keyframes", "8"));
    int dim = Integer.parseInt(args.getOrDefault("dim", "256"));
    int queryCount = Integer.parseInt(args.getOrDefault("queries", "500"));
    int ef = Integer.parseInt(args.getOrDefault("ef", "100"));
    Path work = Path.of(args.getOrDefault("workdir", "target/keyframe-bench"));
    System.out.printf(
        Locale.ROOT,
        "images %d, videos %d x %d keyframes, dim %d, queries %d, k %d, ef %d; cores %d, load %s%n",
        images,
        videos,
        keyframes,
        dim,
        queryCount,
        K,
        ef,
        Runtime.getRuntime().availableProcessors(),
        load());

    float[][] imageVectors = AnnBenchmark.clustered(images, dim, CLUSTERS, 1, 7);
    float[][] keyframeVectors = AnnBenchmark.clustered(videos * keyframes, dim, CLUSTERS, 3, 7);
    float[][] queries = AnnBenchmark.clustered(queryCount, dim, CLUSTERS, 2, 7);
    List<MediaItem> items = items(imageVectors, keyframeVectors, videos, keyframes);
    List<Set<String>> truth = truth(items, queries);

    Path blocksDir = work.resolve("blocks");
    Path itemsDir = work.resolve("items-only");
    deleteRecursively(work);
    long t = System.nanoTime();
    buildBlocks(blocksDir, items);
    double blocksBuild = secs(t);
    t = System.nanoTime();
    buildItemsOnly(itemsDir, items);
    double itemsBuild = secs(t);

    try (LuceneMediaIndex blocks = LuceneMediaIndex.open(blocksDir);
        LuceneMediaIndex itemsOnly = LuceneMediaIndex.open(itemsDir)) {
      report(
          List.of("items only (before)", "keyframe blocks"),
          List.of(itemsOnly, blocks),
          List.of(itemsBuild, blocksBuild),
          queries,
          truth,
          ef);
    }
    System.out.printf(Locale.ROOT, "load at the end %s%n", load());
  }

  /** Images, then videos whose item vector is the normalised mean of their keyframes. */
  private static List<MediaItem> items(
      float[][] imageVectors, float[][] keyframeVectors, int videos, int keyframes) {
    List<MediaItem> items = new ArrayList<>();
    for (int i = 0; i < imageVectors.length; i++) {
      items.add(item("i" + i, "image/png", imageVectors[i], null));
    }
    for (int v = 0; v < videos; v++) {
      float[] mean = new float[keyframeVectors[0].length];
      List<VideoSegments.Segment> segments = new ArrayList<>();
      for (int f = 0; f < keyframes; f++) {
        float[] frame = keyframeVectors[v * keyframes + f];
        for (int d = 0; d < mean.length; d++) {
          mean[d] += frame[d];
        }
        segments.add(
            new VideoSegments.Segment(
                TimeRange.newBuilder().setStartMs(f * 1000L).setEndMs(f * 1000L + 1000).build(),
                frame));
      }
      items.add(
          item(
              "v" + v,
              "video/mp4",
              Vectors.normalized(mean),
              new VideoSegments(MODEL, keyframes * 1000L, segments)));
    }
    return items;
  }

  private static MediaItem item(String id, String type, float[] vector, VideoSegments frames) {
    MediaItem item = new MediaItem(id, TENANT);
    item.apply(
        new IndexChange.Embedded(
            new MediaEmbedding(
                id,
                TENANT,
                type,
                Map.of(),
                List.of(),
                null,
                Instant.EPOCH,
                MODEL,
                vector,
                false,
                frames)),
        TENANT);
    return item;
  }

  /** Exact top k per query, a video scoring with the best of its mean and its keyframes. */
  private static List<Set<String>> truth(List<MediaItem> items, float[][] queries) {
    return Arrays.stream(queries)
        .parallel()
        .map(
            q ->
                items.stream()
                    .sorted(Comparator.comparingDouble(item -> -exactScore(item, q)))
                    .limit(K)
                    .map(MediaItem::mediaId)
                    .collect(Collectors.toSet()))
        .toList();
  }

  private static double exactScore(MediaItem item, float[] q) {
    double best = Vectors.dot(item.imageVectors().get(MODEL).vector(), q);
    if (item.keyframes() != null) {
      for (VideoSegments.Segment s : item.keyframes().segments()) {
        best = Math.max(best, Vectors.dot(s.vector(), q));
      }
    }
    return best;
  }

  private static void buildBlocks(Path dir, List<MediaItem> items) {
    try (LuceneMediaIndex index = LuceneMediaIndex.open(dir)) {
      for (int from = 0; from < items.size(); from += BATCH) {
        index.write(
            items.subList(from, Math.min(items.size(), from + BATCH)), List.of(), List.of());
      }
      index.commit();
      index.forceMerge(1);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The layout before keyframe blocks: one document per item, written as the service did. */
  private static void buildItemsOnly(Path dir, List<MediaItem> items) throws IOException {
    try (IndexWriter writer =
        new IndexWriter(
            FSDirectory.open(dir), IndexWriterConfigs.of(LuceneMediaIndex.Settings.DEFAULT))) {
      for (MediaItem item : items) {
        writer.updateDocument(
            new Term(ITEM_KEY, item.key().term()), MediaDocuments.toDocument(item));
      }
      // Marked current, so opening it searches it as it is (no keyframe migration).
      writer.setLiveCommitData(Map.of(CommitData.SCHEMA, CommitData.SCHEMA_VERSION).entrySet());
      writer.commit();
      writer.forceMerge(1);
      writer.commit();
    }
  }

  /**
   * Both indexes answer each query in turn (one thread; 200 warm-up queries each first), so the
   * machine's load drifts over both alike.
   */
  private static void report(
      List<String> names,
      List<LuceneMediaIndex> indexes,
      List<Double> buildSecs,
      float[][] queries,
      List<Set<String>> truth,
      int ef)
      throws IOException {
    Query filter = SearchFilters.of(TENANT, List.of(), null, null, List.of());
    int n = indexes.size();
    for (int i = 0; i < Math.min(200, queries.length); i++) {
      for (LuceneMediaIndex index : indexes) {
        index.imageKnn(MODEL, queries[i], K, ef, filter, Float.NEGATIVE_INFINITY);
      }
    }
    long[][] nanos = new long[n][queries.length];
    long[] hits = new long[n];
    long[] videoHits = new long[n];
    for (int i = 0; i < queries.length; i++) {
      for (int e = 0; e < n; e++) {
        long t = System.nanoTime();
        List<LuceneMediaIndex.Scored> found =
            indexes.get(e).imageKnn(MODEL, queries[i], K, ef, filter, Float.NEGATIVE_INFINITY);
        nanos[e][i] = System.nanoTime() - t;
        for (LuceneMediaIndex.Scored hit : found) {
          if (truth.get(i).contains(hit.mediaId())) {
            hits[e]++;
            videoHits[e] += hit.mediaId().startsWith("v") ? 1 : 0;
          }
        }
      }
    }
    long truthVideos = truth.stream().flatMap(Set::stream).filter(id -> id.startsWith("v")).count();
    for (int e = 0; e < n; e++) {
      LuceneMediaIndex index = indexes.get(e);
      long[] sorted = nanos[e].clone();
      Arrays.sort(sorted);
      System.out.printf(
          Locale.ROOT,
          "%-20s build %.1f s, %.1f MB, %d documents + %d keyframe documents; query mean %.3f ms,"
              + " p50 %.3f ms, p99 %.3f ms; recall@%d %.3f, videos of the exact top %d found"
              + " %.3f%n",
          names.get(e),
          buildSecs.get(e),
          index.sizeOnDisk() / 1e6,
          index.documentCount(),
          index.keyframeCount(),
          Arrays.stream(sorted).average().orElse(0) / 1e6,
          sorted[sorted.length / 2] / 1e6,
          sorted[(int) (sorted.length * 0.99)] / 1e6,
          K,
          (double) hits[e] / ((long) queries.length * K),
          K,
          truthVideos == 0 ? 1.0 : (double) videoHits[e] / truthVideos);
    }
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static double secs(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static Map<String, String> args(String[] argv) {
    Map<String, String> args = new java.util.HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    return args;
  }
}
